using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Admin;

/// <summary>Puts a dead outbox message back in line: delivered again at once, with a fresh count of attempts.</summary>
public static class RetryOutboxMessage
{
    public static async Task<Results<Ok<OutboxMessageResponse>, ProblemHttpResult>> Handle(Guid id, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.OutboxMessages.Where(m => m.Id == id && m.Status == OutboxStatus.Dead)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending).SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now).SetProperty(m => m.LockedUntil, (DateTime?)null), ct);
        var m = await db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return ProblemSetup.NotFound("The outbox message");
        if (changed == 0)
            return ProblemSetup.Problem(409, "illegal-state-transition", "Not dead", $"Only dead messages can be retried; this one is {m.Status}.");
        return TypedResults.Ok(new OutboxMessageResponse(m.Id, m.Handler, m.Type, m.UserId, m.EntityType, m.EntityId, m.Status, m.Attempts,
            m.CreatedAt, m.NextAttemptAt, m.DeliveredAt, m.LastError));
    }
}
