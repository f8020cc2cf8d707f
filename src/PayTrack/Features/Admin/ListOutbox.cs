using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Admin;

/// <summary>
/// An outbox message as admins see it: what it is, for which handler (<c>*</c>: an event for every handler that
/// takes its type; a handler that failed on it has a row of its own), how delivery went.
/// </summary>
public sealed record OutboxMessageResponse(
    Guid Id, string Handler, string Type, Guid? UserId, string EntityType, Guid EntityId, string Status, int Attempts,
    DateTime CreatedAt, DateTime NextAttemptAt, DateTime? DeliveredAt, string? LastError);

/// <summary>Outbox messages by status (default <c>dead</c>: those that need an admin), oldest first, keyset-paged.</summary>
public static class ListOutbox
{
    public static async Task<Results<Ok<Page<OutboxMessageResponse>>, ValidationProblem>> Handle(
        string? status, int? limit, string? cursor, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        status ??= OutboxStatus.Dead;
        if (!OutboxStatus.All.Contains(status)) v.Add("status", "status must be pending, done or dead.");
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var query = db.OutboxMessages.AsNoTracking().Where(m => m.Status == status);
        if (after is { } a) query = query.Where(m => m.Id.CompareTo(a) > 0);
        var rows = await query.OrderBy(m => m.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, m => m.Id, m => new OutboxMessageResponse(
            m.Id, m.Handler, m.Type, m.UserId, m.EntityType, m.EntityId, m.Status, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.DeliveredAt, m.LastError)));
    }
}
