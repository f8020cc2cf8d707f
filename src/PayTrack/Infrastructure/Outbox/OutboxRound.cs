using PayTrack.Data;

namespace PayTrack.Infrastructure.Outbox;

/// <summary>
/// A dispatcher round as its handlers see it (<see cref="Current"/>, set while the round's handlers run). A handler
/// that writes follow-ups (the e-mails of a round's notifications) can write them already claimed by the round
/// (<see cref="Token"/>, <see cref="LeaseUntil"/>) and, once its transaction committed, hand them over with
/// <see cref="DeliverAlso"/>: the round delivers them right after its own messages and marks them done with them,
/// instead of leaving them for a later round to claim. If the instance stops first, the lease runs out and
/// any instance delivers them, as with any claimed row.
/// A handler can also give a message of its own back unattempted (<see cref="Defer"/>): the round releases it
/// without counting an attempt, due again at the time the handler names.
/// </summary>
public sealed class OutboxRound(Guid token, DateTime leaseUntil)
{
    private static readonly AsyncLocal<OutboxRound?> CurrentRound = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<OutboxMessage> _followUps = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTime> _deferred = new();

    /// <summary>The round whose handlers are running on this flow, if any.</summary>
    public static OutboxRound? Current => CurrentRound.Value;

    public Guid Token => token;
    public DateTime LeaseUntil => leaseUntil;

    /// <summary>Rows this round claimed when they were written, in a transaction that has committed.</summary>
    public void DeliverAlso(IEnumerable<OutboxMessage> messages)
    {
        foreach (var m in messages) _followUps.Enqueue(m);
    }

    /// <summary>
    /// This round did not attempt message <paramref name="id"/> (a row for one handler, the caller): it is released
    /// with its attempt count as it was before the claim and is due again at <paramref name="dueAt"/>.
    /// </summary>
    public void Defer(Guid id, DateTime dueAt) => _deferred[id] = dueAt;

    internal IReadOnlyDictionary<Guid, DateTime> Deferred => _deferred;

    internal static void Enter(OutboxRound? round) => CurrentRound.Value = round;

    internal List<OutboxMessage> TakeFollowUps()
    {
        var list = new List<OutboxMessage>();
        while (_followUps.TryDequeue(out var m)) list.Add(m);
        return list;
    }
}
