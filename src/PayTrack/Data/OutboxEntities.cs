namespace PayTrack.Data;

/// <summary>
/// One domain event waiting for (or done with) its handlers: written in the same transaction as the
/// change that caused it, delivered after commit by <c>OutboxDispatcher</c>.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>The <see cref="Handler"/> of an event for every handler that takes its type (more than one).</summary>
    public const string EveryHandler = "*";

    public Guid Id { get; set; }
    /// <summary>The <c>IOutboxHandler.Name</c> this row is for, or <see cref="EveryHandler"/>.</summary>
    public string Handler { get; set; } = "";
    /// <summary>The event type, e.g. <c>transfer.succeeded</c>, <c>deposit.failed</c>, <c>expense.created</c>.</summary>
    public string Type { get; set; } = "";
    /// <summary>Whose event it is: only this user (and admins) may see it.</summary>
    public Guid? UserId { get; set; }
    public string EntityType { get; set; } = "";
    public Guid EntityId { get; set; }
    /// <summary>The event's data as JSON.</summary>
    public string Data { get; set; } = "{}";
    public DateTime CreatedAt { get; set; }
    /// <summary><c>pending</c>, <c>done</c> or <c>dead</c>.</summary>
    public string Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public Guid? LockToken { get; set; }
    public string? LastError { get; set; }
    public DateTime? DeliveredAt { get; set; }
    /// <summary>
    /// For a row split off an event for every handler (one handler failed, ADR 0043): that event's id. Null on
    /// the event's own row.
    /// </summary>
    public Guid? EventId { get; set; }

    /// <summary>
    /// The id a handler keys what it writes on (notification ids, webhook ids), so an event's effects are the same
    /// whether it was handled from its own row or from a row split off it.
    /// </summary>
    public Guid SourceId => EventId ?? Id;
}

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Dead = "dead";
    public static readonly string[] All = [Pending, Done, Dead];
}
