using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Email;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Notifications;

public static class NotificationsEndpoints
{
    /// <summary>In-app notifications and the caller's notification preferences.</summary>
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization();
        group.MapGet("/", ListNotifications.Handle).WithSummary("The caller's notifications, newest first (unread=true: unread only).");
        group.MapGet("/unread-count", CountUnreadNotifications.Handle).WithSummary("How many of the caller's notifications are unread.");
        group.MapPost("/{id:guid}/read", MarkNotificationRead.Handle).HonourIdempotencyKey().WithSummary("Mark one notification read.");
        group.MapPost("/read-all", MarkAllNotificationsRead.Handle).HonourIdempotencyKey().WithSummary("Mark every notification of the caller read.");

        var prefs = app.MapGroup("/api/v1/me/notification-preferences").WithTags("Notifications").RequireAuthorization();
        prefs.MapGet("/", GetNotificationPreferences.Handle).WithSummary("Which kinds are on, per channel (email, inApp), and the locale and time zone e-mails use.");
        prefs.MapPut("/", UpdateNotificationPreferences.Handle).WithSummary("Turn kinds on or off per channel (kinds left out keep their setting); security e-mails stay on.");
        return app;
    }

    /// <summary>The notifications handler, its e-mails, and what they need.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        services.AddPayTrackEmail(config, env);
        services.AddSingleton<UnsubscribeLinks>();
        services.AddSingleton<EmailTemplates>();
        services.AddScoped<Notifier>();
        services.AddScoped<NotificationBell>();
        // Off (Notifications:Enabled=false): events produce no notifications; e-mails already queued still go out.
        if (config.GetValue("Notifications:Enabled", true)) services.AddSingleton<IOutboxHandler, NotificationsHandler>();
        return services;
    }
}
