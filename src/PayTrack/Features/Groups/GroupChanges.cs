using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Groups;

/// <summary>
/// What every group use case does when it changes something, in the transaction of the change: an activity
/// row (who, what, before and after) and the domain event <c>group.&lt;action&gt;</c> (audit plus outbox, so
/// live updates and notifications react after commit).
/// </summary>
public static class GroupChanges
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The public event type of a group action, e.g. <c>group.expense.created</c>.</summary>
    public static string EventType(string action) => "group." + action;

    // involved: who the change concerns (an expense's payers and sharers, a settlement's two members), in the event's data
    // as userIds, for notifications ("an expense that involves you").
    public static void Record(PayTrackDb db, DomainEvents events, TimeProvider clock, Guid groupId, Guid actor, string action,
        string entityType, Guid entityId, string summary, object? before = null, object? after = null, IEnumerable<Guid>? involved = null)
    {
        var at = clock.UtcNowStored();
        db.GroupActivity.Add(new GroupActivity
        {
            Id = Guid.CreateVersion7(), GroupId = groupId, At = at, ActorId = actor, Action = action, EntityType = entityType, EntityId = entityId,
            Summary = summary, Before = before is null ? null : JsonSerializer.Serialize(before, Json), After = after is null ? null : JsonSerializer.Serialize(after, Json),
        });
        events.AddTo(db, new DomainEvent(EventType(action), actor, actor, entityType, entityId, new { groupId, action, entityId, summary, at, userIds = (involved ?? []).Distinct().Order().ToArray() }));
    }

    /// <summary>One member's change of running totals (minor units of the group currency).</summary>
    public readonly record struct Delta(Guid UserId, long Paid, long Owed, long Sent, long Received);

    /// <summary>
    /// Adds <paramref name="deltas"/> to the members' running totals, one UPDATE per member in user-id order
    /// (a fixed order, so concurrent expenses of one group never deadlock), inside the caller's transaction.
    /// </summary>
    public static async Task ApplyAsync(PayTrackDb db, Guid groupId, IEnumerable<Delta> deltas, CancellationToken ct)
    {
        var merged = deltas.GroupBy(d => d.UserId)
            .Select(g => new Delta(g.Key, g.Sum(d => d.Paid), g.Sum(d => d.Owed), g.Sum(d => d.Sent), g.Sum(d => d.Received)))
            .Where(d => d.Paid != 0 || d.Owed != 0 || d.Sent != 0 || d.Received != 0)
            .OrderBy(d => d.UserId);
        foreach (var d in merged)
        {
            var changed = await db.GroupMembers.Where(m => m.GroupId == groupId && m.UserId == d.UserId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.PaidMinor, m => m.PaidMinor + d.Paid)
                    .SetProperty(m => m.OwedMinor, m => m.OwedMinor + d.Owed)
                    .SetProperty(m => m.SentMinor, m => m.SentMinor + d.Sent)
                    .SetProperty(m => m.ReceivedMinor, m => m.ReceivedMinor + d.Received), ct);
            if (changed != 1) throw new InvalidOperationException($"Group {groupId} has no member {d.UserId}.");
        }
    }

    /// <summary>What an expense adds to its members' totals (<paramref name="sign"/> −1 takes it away again).</summary>
    public static IEnumerable<Delta> Of(GroupExpense e, int sign) => e.Parts.Select(p => p.Kind == GroupPartKinds.Payer
        ? new Delta(p.UserId, sign * p.GroupMinor, 0, 0, 0)
        : new Delta(p.UserId, 0, sign * p.GroupMinor, 0, 0));
}
