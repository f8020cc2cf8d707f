namespace PayTrack.Data;

/// <summary>A group of people sharing expenses, with a wallet in its currency (<see cref="WalletId"/>).</summary>
public sealed class Group
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Currency { get; set; } = "";
    public Guid WalletId { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Set when an owner deletes the settled group; a deleted group answers 404 to everyone.</summary>
    public DateTime? DeletedAt { get; set; }
}

/// <summary>
/// A person in a group with their running totals in the group currency, kept in the transaction of every
/// expense, edit, delete and settlement: balance = paid − owed + sent − received (ADR 0039).
/// A member who left keeps the row (their history stays readable) with <see cref="LeftAt"/> set.
/// </summary>
public sealed class GroupMember
{
    public Guid GroupId { get; set; }
    public Guid UserId { get; set; }
    public string Role { get; set; } = GroupRoles.Member;
    public long PaidMinor { get; set; }
    public long OwedMinor { get; set; }
    public long SentMinor { get; set; }
    public long ReceivedMinor { get; set; }
    public DateTime JoinedAt { get; set; }
    public DateTime? LeftAt { get; set; }

    public long BalanceMinor => PaidMinor - OwedMinor + SentMinor - ReceivedMinor;
}

public static class GroupRoles
{
    public const string Owner = "owner";
    public const string Approver = "approver";
    public const string Member = "member";
    public static readonly string[] All = [Owner, Approver, Member];
    public static bool IsValid(string? role) => role is Owner or Approver or Member;
}

/// <summary>An invitation by e-mail; only the SHA-256 of the link's token is stored.</summary>
public sealed class GroupInvite
{
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string Role { get; set; } = GroupRoles.Member;
    public string TokenHash { get; set; } = "";
    public Guid InvitedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public Guid? AcceptedBy { get; set; }
}

/// <summary>
/// A shared expense: <see cref="AmountMinor"/> in its own currency, <see cref="GroupAmountMinor"/> in the
/// group's at <see cref="Rate"/> (exact decimal text). <see cref="Version"/> grows with every edit.
/// </summary>
public sealed class GroupExpense
{
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public string Description { get; set; } = "";
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    public string Rate { get; set; } = "1";
    public long GroupAmountMinor { get; set; }
    public DateOnly Date { get; set; }
    public string? Category { get; set; }
    public string SplitMode { get; set; } = "";
    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
    public List<GroupExpensePart> Parts { get; set; } = [];
}

/// <summary>One payer's or one share's amount of a group expense, in the expense's currency and in the group's.</summary>
public sealed class GroupExpensePart
{
    public Guid ExpenseId { get; set; }
    /// <summary><c>payer</c> or <c>share</c>.</summary>
    public string Kind { get; set; } = "";
    public Guid UserId { get; set; }
    public long AmountMinor { get; set; }
    public long GroupMinor { get; set; }
    /// <summary>The split value as the request gave it (exact amount, percent or shares); null for equal splits and payers.</summary>
    public string? Value { get; set; }
}

public static class GroupPartKinds
{
    public const string Payer = "payer";
    public const string Share = "share";
}

/// <summary>One member paying another back: through the ledger (<see cref="TransferId"/>) or in cash (recorded only).</summary>
public sealed class GroupSettlement
{
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public Guid FromUserId { get; set; }
    public Guid ToUserId { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    public string Method { get; set; } = "";
    public Guid? TransferId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>What changed in a group, by whom, with the entity before and after (JSON).</summary>
public sealed class GroupActivity
{
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public DateTime At { get; set; }
    public Guid ActorId { get; set; }
    public string Action { get; set; } = "";
    public string EntityType { get; set; } = "";
    public Guid EntityId { get; set; }
    public string Summary { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>A receipt file of a group expense; the bytes live in the blob store under <see cref="Sha256"/>.</summary>
public sealed class GroupExpenseReceipt
{
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public Guid ExpenseId { get; set; }
    /// <summary>Who uploaded it.</summary>
    public Guid UserId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
