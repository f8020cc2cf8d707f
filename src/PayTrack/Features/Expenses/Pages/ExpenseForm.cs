using PayTrack.Data;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Expenses.Pages;

/// <summary>The expense form's fields, as typed (kept as text so nothing is lost on an error).</summary>
public sealed class ExpenseForm
{
    public string? Amount { get; set; }
    public string? Currency { get; set; }
    public string? Date { get; set; }
    public Guid? CategoryId { get; set; }
    public string? Payee { get; set; }
    public string? Description { get; set; }
    /// <summary>Comma-separated.</summary>
    public string? Tags { get; set; }
    /// <summary><c>expense</c> (money out) or <c>income</c> (money in); kept through an edit.</summary>
    public string? Kind { get; set; } = ExpenseKinds.Expense;

    public ExpenseRequest ToRequest() => new(
        AmountInput.Normalize(Amount), string.IsNullOrWhiteSpace(Currency) ? null : Currency, Date?.Trim(), CategoryId, Payee, Description,
        string.IsNullOrWhiteSpace(Tags) ? [] : Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => (string?)t).ToList(),
        null, string.IsNullOrWhiteSpace(Kind) ? ExpenseKinds.Expense : Kind);

    public static ExpenseForm From(ExpenseResponse e) => new()
    {
        Amount = AmountInput.Localize(e.Amount), Currency = e.Currency, Date = e.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        CategoryId = e.CategoryId, Payee = e.Payee, Description = e.Description, Tags = string.Join(", ", e.Tags), Kind = e.Kind,
    };
}

/// <summary>What the shared expense fields partial needs.</summary>
public sealed record ExpenseFieldsView(ExpenseForm Form, IReadOnlyList<Categories.CategoryResponse> Categories);
