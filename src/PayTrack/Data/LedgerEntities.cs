namespace PayTrack.Data;

/// <summary>A wallet (owned by a user) or a system account (the payment provider's side of the books).</summary>
public sealed class Account
{
    public Guid Id { get; set; }
    public Guid? UserId { get; set; }
    public string Name { get; set; } = "";
    public string Currency { get; set; } = "";
    public string Kind { get; set; } = AccountKinds.Wallet;
    public string? SystemKey { get; set; }
    public string Status { get; set; } = AccountStatus.Active;
    /// <summary>Posted money, in minor units.</summary>
    public long BalanceMinor { get; set; }
    /// <summary>Money reserved by pending holds and withdrawals.</summary>
    public long HeldMinor { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A wallet's status. Only an <c>active</c> wallet sends or receives money; a <c>suspended</c> one belongs
/// to a suspended user (and is active again when they are reactivated); a <c>closed</c> one never changes again.
/// </summary>
public static class AccountStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Closed = "closed";
}

public static class AccountKinds
{
    public const string Wallet = "wallet";
    public const string System = "system";
}

public sealed class Transfer
{
    public Guid Id { get; set; }
    public Guid FromAccountId { get; set; }
    public Guid ToAccountId { get; set; }
    public Guid FromUserId { get; set; }
    public Guid? ToUserId { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Description { get; set; }
    public string? FailureReason { get; set; }
    public bool IsHold { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>A deposit or withdrawal through the payment provider.</summary>
public sealed class Payment
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public Guid UserId { get; set; }
    public Guid AccountId { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Method { get; set; }
    public string? Destination { get; set; }
    public string? ProviderRef { get; set; }
    public string? FailureReason { get; set; }
    public string? IdempotencyKey { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public sealed class JournalEntry
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public Guid ReferenceId { get; set; }
    public string Currency { get; set; } = "";
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One side of a journal entry: signed, credit &gt; 0, debit &lt; 0.</summary>
public sealed class Posting
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public Guid AccountId { get; set; }
    public long AmountMinor { get; set; }
    public long BalanceAfterMinor { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class IdempotencyRecord
{
    public Guid UserId { get; set; }
    public string Key { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public string Status { get; set; } = "";
    public int? ResponseStatus { get; set; }
    public string? ResponseBody { get; set; }
    public string? ContentType { get; set; }
    public DateTime LockedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public Guid? ActorId { get; set; }
    public Guid? UserId { get; set; }
    public string Event { get; set; } = "";
    public string EntityType { get; set; } = "";
    public Guid EntityId { get; set; }
    public string Data { get; set; } = "{}";
    public long? Seq { get; set; }
    public string? PrevHash { get; set; }
    public string? Hash { get; set; }
}
