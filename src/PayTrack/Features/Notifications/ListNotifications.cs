using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Notifications;

public sealed record NotificationResponse(Guid Id, string Kind, string Title, string Body, string? Link, DateTime CreatedAt, DateTime? ReadAt);

public sealed record UnreadCountResponse(int Count);

public static class NotificationMapping
{
    public static NotificationResponse ToResponse(this Notification n) => new(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt);
}

/// <summary>The caller's notifications, newest first, keyset-paged; <c>unread=true</c> for the unread ones only.</summary>
public static class ListNotifications
{
    public static async Task<Results<Ok<Page<NotificationResponse>>, ValidationProblem>> Handle(
        bool? unread, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var userId = principal.UserId();
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (unread == true) query = query.Where(n => n.ReadAt == null);
        if (after is { } a) query = query.Where(n => n.Id.CompareTo(a) < 0);
        var rows = await query.OrderByDescending(n => n.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, n => n.Id, n => n.ToResponse()));
    }
}

public static class CountUnreadNotifications
{
    public static async Task<Ok<UnreadCountResponse>> Handle(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCountResponse(await CountAsync(db, principal.UserId(), ct)));

    public static Task<int> CountAsync(PayTrackDb db, Guid userId, CancellationToken ct) =>
        db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).CountAsync(ct);
}

/// <summary>Marks one of the caller's notifications read (again: no change); someone else's is 404.</summary>
public static class MarkNotificationRead
{
    public static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = clock.UtcNowStored();
        await db.Notifications.Where(n => n.Id == id && n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        var n = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id && n.UserId == userId, ct);
        return n is null ? ProblemSetup.NotFound("The notification") : TypedResults.Ok(n.ToResponse());
    }
}

public static class MarkAllNotificationsRead
{
    public static async Task<Ok<UnreadCountResponse>> Handle(ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = clock.UtcNowStored();
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return TypedResults.Ok(new UnreadCountResponse(0));
    }
}
