using System.Security.Claims;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Notifications;

/// <summary>The unread count the layout's bell shows on each page load (the live update comes with <c>/me/events</c>).</summary>
public sealed class NotificationBell(PayTrackDb db)
{
    public async Task<int> UnreadAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        user.Identity?.IsAuthenticated == true ? await CountUnreadNotifications.CountAsync(db, user.UserId(), ct) : 0;
}
