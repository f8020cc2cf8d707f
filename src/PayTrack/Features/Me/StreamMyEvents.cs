using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Live;

namespace PayTrack.Features.Me;

/// <summary>
/// The caller's own Server-Sent Events stream (topic <c>user:{id}</c>): <c>event: notification</c> whenever one of
/// their notifications is created, so the web layout's bell updates without a reload. The user's status is
/// checked again before every message and keep-alive: a suspended or closed user's stream ends.
/// </summary>
public static class StreamMyEvents
{
    public const string NotificationEvent = "notification";

    public static string Topic(Guid userId) => "user:" + userId;

    public static EventStream Handle(ClaimsPrincipal principal, ILiveBus bus, LiveOptions options, IServiceScopeFactory scopes)
    {
        var me = principal.UserId();
        // Subscribe before answering, so nothing that happens after the 200 is missed.
        var subscription = bus.Subscribe(Topic(me));
        return new EventStream(subscription, options.KeepAlive, async c =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
            return await db.Users.AnyAsync(u => u.Id == me && u.Status == Domain.UserStatus.Active, c);
        });
    }
}
