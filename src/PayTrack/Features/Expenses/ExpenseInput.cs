using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Expenses;

/// <summary>The body of POST and PUT /expenses.</summary>
public sealed record ExpenseRequest(
    [property: JsonConverter(typeof(AmountTextConverter))] string? Amount,
    string? Currency, string? Date, Guid? CategoryId, string? Payee, string? Description, List<string?>? Tags, Guid? AccountId,
    string? Kind = null);

/// <summary>An expense's fields after validation.</summary>
public sealed record ExpenseInput(Money Amount, DateOnly Date, Guid? CategoryId, string? Payee, string? Description, List<string> Tags, Guid? AccountId, string Kind);

public static class ExpenseValidation
{
    public const int MaxText = 200;
    public const int MaxDescription = 1000;
    /// <summary>An expense or income entry is below one billion of its currency: larger is a typo, not a purchase.</summary>
    public const decimal MaxAmount = 1_000_000_000m;
    public const string MaxAmountText = "1,000,000,000";

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Checks the request's shape and that its category and wallet are the caller's; answers the input or fills <paramref name="v"/>.</summary>
    public static async Task<ExpenseInput?> ValidateAsync(ExpenseRequest r, Guid userId, PayTrackDb db, Validation v, CancellationToken ct)
    {
        Currency? currency = null;
        if (r.Currency is null)
            currency = Currency.Get(await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultCurrency).FirstAsync(ct));
        else if (!Currency.TryGet(r.Currency, out var c)) v.Add("currency", $"'{r.Currency}' is not a supported ISO 4217 currency code.");
        else currency = c;

        Money amount = default;
        if (currency is not null && !Money.TryParse(r.Amount, currency, out amount, out var amountError)) v.Add("amount", amountError);
        else if (currency is not null && amount.ToDecimal() >= MaxAmount) v.Add("amount", $"amount must be less than {MaxAmountText} {currency.Code}.");
        if (!TryParseDate(r.Date, out var date)) v.Add("date", "date is required as YYYY-MM-DD.");
        else if (date.Year is < 1900 or > 2999) v.Add("date", "date must be between 1900 and 2999.");
        v.MaxLength("payee", r.Payee?.Trim(), MaxText).MaxLength("description", r.Description?.Trim(), MaxDescription);
        if (r.Kind is not null && !ExpenseKinds.IsValid(r.Kind)) v.Add("kind", "kind must be expense or income.");
        if (!Tags.TryNormalize(r.Tags, out var tags, out var tagError)) v.Add("tags", tagError);
        if (r.CategoryId is { } cat && !await db.Categories.AnyAsync(x => x.Id == cat && x.UserId == userId, ct))
            v.Add("categoryId", "categoryId is not one of your categories.");
        if (r.AccountId is { } acc && !await db.Accounts.AnyAsync(a => a.Id == acc && a.UserId == userId, ct))
            v.Add("accountId", "accountId is not one of your wallets.");
        if (!v.IsValid) return null;
        return new ExpenseInput(amount, date, r.CategoryId, Blank(r.Payee), Blank(r.Description), tags, r.AccountId, r.Kind ?? ExpenseKinds.Expense);
    }

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
