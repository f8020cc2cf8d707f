using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Webhooks;

public static class WebhooksEndpoints
{
    /// <summary>Outgoing webhooks (Standard Webhooks) and their delivery logs.</summary>
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization();
        group.MapPost("/", CreateWebhook.Handle).HonourIdempotencyKey().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Subscribe a URL to event types (or \"*\"); the answer shows the signing secret, once.");
        group.MapGet("/", ListWebhooks.Handle).WithSummary("The caller's webhooks (without their secrets).");
        group.MapDelete("/{id:guid}", DeleteWebhook.Handle).WithSummary("Delete a webhook.");
        group.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries.Handle).WithSummary("A webhook's delivery log: one row per attempt, newest first.");
        return app;
    }

    /// <summary>The fan-out and delivery handlers, the sender and the settings (section <c>Webhooks</c>).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
        services.AddSingleton(options);
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookHealth>();
        services.AddSingleton<IOutboxHandler, WebhookDeliveryHandler>();
        if (options.Enabled) services.AddSingleton<IOutboxHandler, WebhooksHandler>();
        return services;
    }
}
