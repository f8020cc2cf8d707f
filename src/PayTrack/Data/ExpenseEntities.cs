namespace PayTrack.Data;

/// <summary>A user's spending category; one level of sub-categories (<see cref="ParentId"/>).</summary>
public sealed class Category
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid? ParentId { get; set; }
    public string Name { get; set; } = "";
    public string? Color { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One expense: an exact amount in minor units of its currency, on a calendar date.</summary>
public sealed class Expense
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>The wallet it was paid from; no foreign key until the ledger's accounts exist.</summary>
    public Guid? AccountId { get; set; }
    public Guid? CategoryId { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    /// <summary><see cref="ExpenseKinds.Expense"/> (money out, the default) or <see cref="ExpenseKinds.Income"/> (money in).</summary>
    public string Kind { get; set; } = ExpenseKinds.Expense;
    public DateOnly Date { get; set; }
    public string? Payee { get; set; }
    public string? Description { get; set; }
    /// <summary>The bank's transaction id (OFX FITID) for imported expenses: the first duplicate check.</summary>
    public string? ExternalId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<ExpenseTag> Tags { get; set; } = [];
}

/// <summary>The kinds of entry the expenses table holds: spending reports and budgets count <see cref="Expense"/> entries only.</summary>
public static class ExpenseKinds
{
    public const string Expense = "expense";
    public const string Income = "income";
    public static readonly string[] All = [Expense, Income];
    public static bool IsValid(string? kind) => kind is Expense or Income;
}

/// <summary>A tag on an expense; <see cref="UserId"/> and <see cref="Date"/> repeat the expense's so by-tag reports stay within their window.</summary>
public sealed class ExpenseTag
{
    public Guid ExpenseId { get; set; }
    public string Tag { get; set; } = "";
    public Guid UserId { get; set; }
    public DateOnly Date { get; set; }

    public static ExpenseTag For(Expense e, string tag) => new() { ExpenseId = e.Id, Tag = tag, UserId = e.UserId, Date = e.Date };
}

/// <summary>A receipt file attached to an expense; the bytes live in the blob store under <see cref="Sha256"/>.</summary>
public sealed class Receipt
{
    public Guid Id { get; set; }
    public Guid ExpenseId { get; set; }
    public Guid UserId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public sealed class Budget
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Name { get; set; } = "";
    public Guid? CategoryId { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    /// <summary><c>monthly</c> or <c>weekly</c>.</summary>
    public string Period { get; set; } = "";
    /// <summary>Monthly: day of month the period starts (1–28). Weekly: ISO day of week (1 = Monday).</summary>
    public int StartDay { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class Rule
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Name { get; set; } = "";
    /// <summary><c>all</c> or <c>any</c>.</summary>
    public string Match { get; set; } = "";
    /// <summary>JSON array of <see cref="Domain.RuleCondition"/>.</summary>
    public string Conditions { get; set; } = "[]";
    public Guid? SetCategoryId { get; set; }
    /// <summary>JSON array of tags.</summary>
    public string AddTags { get; set; } = "[]";
    /// <summary>Rules run by position ascending (ties: oldest first).</summary>
    public int Position { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One unit of <see cref="Base"/> buys <see cref="Rate"/> units of <see cref="Quote"/> from <see cref="Date"/> on.</summary>
public sealed class ExchangeRate
{
    public string Base { get; set; } = "";
    public string Quote { get; set; } = "";
    public DateOnly Date { get; set; }
    public decimal Rate { get; set; }
    public DateTime UpdatedAt { get; set; }
}
