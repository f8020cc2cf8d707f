using System.Text.Json;
using PayTrack.Data;

namespace PayTrack.Infrastructure.Outbox;

/// <summary>
/// Something that happened, as a use case records it: <see cref="Type"/> is the public event type
/// (webhooks and notifications use it), <see cref="AuditName"/> the audit log's name for it when that
/// differs (the audit log keeps its historical names). <see cref="UserId"/> is whose event it is.
/// </summary>
public sealed record DomainEvent(string Type, Guid? ActorId, Guid? UserId, string EntityType, Guid EntityId, object Data, string? AuditName = null);

/// <summary>Takes delivered events of the types it handles. Delivery is at least once: a handler must be idempotent by message id.</summary>
public interface IOutboxHandler
{
    /// <summary>Stable name, stored with each message (renaming a handler orphans its pending messages).</summary>
    string Name { get; }
    bool Handles(string eventType);
    Task HandleAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>
/// A handler that takes all its messages of a dispatcher round at once (e.g. one transaction for fifty
/// notifications instead of fifty); it answers the error of each message that failed (absent: delivered).
/// </summary>
public interface IOutboxBatchHandler : IOutboxHandler
{
    Task<IReadOnlyDictionary<Guid, string>> HandleBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct);
}

/// <summary>
/// A handler that waits on other people's servers for a long time (webhook retries: up to the receiver's
/// timeout): its messages are claimed only by the dispatcher's own loop for such handlers
/// (<c>Outbox:OwnLaneWorkers</c>), so a slow receiver never holds up notifications, e-mails or other
/// events. Those loops claim one entity's messages a round (a webhook's deliveries: <c>entity_id</c>), so each
/// round waits on one server only, and a receiver that never answers holds one loop, not everyone's retries.
/// </summary>
public interface IOutboxOwnLane;

/// <summary>
/// A handler whose messages carry what should not outlive their delivery (an e-mail's rendered text, its
/// unsubscribe or invite link): when the dispatcher marks one done it empties its <c>data</c>. Waiting and
/// dead messages keep theirs, to be sent; a delivered one keeps its row (type, times, attempts) for diagnosis.
/// </summary>
public interface IOutboxForgetsDelivered;

/// <summary>
/// A handler with its own retry schedule (e.g. webhooks follow the Standard Webhooks schedule): the
/// dispatcher asks it, instead of <c>Outbox:RetryBaseMs</c> and <c>Outbox:MaxAttempts</c>, when a
/// delivery fails.
/// </summary>
public interface IOutboxRetryPolicy
{
    /// <summary>Attempts before a message is <c>dead</c>.</summary>
    int MaxAttempts { get; }
    /// <summary>The wait after failed attempt <paramref name="attempts"/> (1-based).</summary>
    TimeSpan RetryDelay(int attempts);
}

/// <summary>
/// The one call a use case makes to record what happened: it writes the audit event and, for every
/// registered handler that takes the event's type, an outbox row, in the caller's transaction (as SQL
/// statements in a batch, as set-based rows, or as tracked entities saved with the caller's
/// SaveChanges). Nothing is delivered before that transaction commits. See ADR 0031.
/// </summary>
public sealed class DomainEvents(IEnumerable<IOutboxHandler> handlers, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IOutboxHandler[] _handlers = handlers.ToArray();

    public static readonly RowTable Outbox = new("outbox_messages",
        ("id", "uuid"), ("handler", "text"), ("type", "text"), ("user_id", "uuid"), ("entity_type", "text"), ("entity_id", "uuid"),
        ("data", "text"), ("created_at", "timestamptz"), ("status", "text"), ("attempts", "integer"), ("next_attempt_at", "timestamptz"));

    /// <summary>Whether any handler takes <paramref name="type"/> (when none does, recording it writes only the audit event).</summary>
    public bool AnyHandles(string type) => _handlers.Any(h => h.Handles(type));

    /// <summary>Whether the handler named <paramref name="name"/> runs in this instance (for rows written straight to one handler).</summary>
    public bool HasHandler(string name) => _handlers.Any(h => h.Name == name);

    /// <summary>Records <paramref name="e"/> in a batch of statements that runs in the caller's transaction.</summary>
    public void AddTo(StatementBatch batch, DomainEvent e)
    {
        batch.Add(AuditRows.Insert, clock.GetUtcNow().UtcDateTime, e.ActorId, e.UserId, e.AuditName ?? e.Type, e.EntityType, e.EntityId, AuditRows.DataText(e.Data));
        foreach (var m in Messages(e))
            batch.Add("INSERT INTO outbox_messages (id, handler, type, user_id, entity_type, entity_id, data, created_at, status, attempts, next_attempt_at) " +
                      "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, 0, {7})",
                m.Id, m.Handler, m.Type, m.UserId, m.EntityType, m.EntityId, m.Data, m.CreatedAt, OutboxStatus.Pending);
    }

    /// <summary>Records <paramref name="e"/> as rows inserted set-based with many others (batches of transfers).</summary>
    public void AddTo(RowBatch rows, DomainEvent e)
    {
        rows.Add(AuditRows.Table, clock.GetUtcNow().UtcDateTime, e.ActorId, e.UserId, e.AuditName ?? e.Type, e.EntityType, e.EntityId, AuditRows.DataText(e.Data));
        foreach (var m in Messages(e))
            rows.Add(Outbox, m.Id, m.Handler, m.Type, m.UserId, m.EntityType, m.EntityId, m.Data, m.CreatedAt, m.Status, 0, m.NextAttemptAt);
    }

    /// <summary>Records <paramref name="e"/> as tracked entities, written by the caller's next SaveChanges (one transaction).</summary>
    public void AddTo(PayTrackDb db, DomainEvent e)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow().UtcDateTime, ActorId = e.ActorId, UserId = e.UserId, Event = e.AuditName ?? e.Type,
            EntityType = e.EntityType, EntityId = e.EntityId, Data = AuditRows.DataText(e.Data),
        });
        db.OutboxMessages.AddRange(Messages(e));
    }

    /// <summary>
    /// The outbox rows recording <paramref name="e"/> would write — their ids and handler names, and the
    /// event's JSON data — for a caller that inserts them itself in one statement (PostgreSQL's one-call
    /// transfer, <c>ledger_apply_transfer</c>). The caller writes the audit event too.
    /// </summary>
    public (Guid[] Ids, string[] Handlers, string? Data) OutboxRows(DomainEvent e)
    {
        var messages = Messages(e).ToList();
        return (messages.Select(m => m.Id).ToArray(), messages.Select(m => m.Handler).ToArray(), messages.FirstOrDefault()?.Data);
    }

    /// <summary>
    /// One row per event: named after its handler when one handler takes the type, else
    /// <see cref="OutboxMessage.EveryHandler"/> — the dispatcher hands it to each handler that takes the type, and
    /// only a handler that fails gets a row of its own (ADR 0043). No row when no handler takes it.
    /// </summary>
    private IEnumerable<OutboxMessage> Messages(DomainEvent e)
    {
        if (_handlers.Length == 0) yield break;
        string? name = null;
        foreach (var h in _handlers)
        {
            if (!h.Handles(e.Type)) continue;
            name = name is null ? h.Name : OutboxMessage.EveryHandler;
        }
        if (name is null) yield break;
        var now = clock.GetUtcNow().UtcDateTime;
        yield return new OutboxMessage
        {
            Id = Guid.CreateVersion7(), Handler = name, Type = e.Type, UserId = e.UserId, EntityType = e.EntityType, EntityId = e.EntityId,
            Data = JsonSerializer.Serialize(e.Data, Json), CreatedAt = now, Status = OutboxStatus.Pending, NextAttemptAt = now,
        };
    }
}
