using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Domain.Groups;
using PayTrack.Features.Expenses;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Groups;

public sealed record PayerRequest(Guid? UserId, [property: JsonConverter(typeof(AmountTextConverter))] string? Amount);

public sealed record SplitPartRequest(Guid? UserId, [property: JsonConverter(typeof(AmountTextConverter))] string? Value);

public sealed record SplitRequest(string? Mode, List<SplitPartRequest?>? Parts);

/// <summary>The body of POST and PUT /groups/{id}/expenses (<see cref="Version"/> only on PUT).</summary>
public sealed record GroupExpenseRequest(
    string? Description,
    [property: JsonConverter(typeof(AmountTextConverter))] string? Amount,
    string? Currency,
    [property: JsonConverter(typeof(AmountTextConverter))] string? Rate,
    string? Date, string? Category, List<PayerRequest?>? Payers, SplitRequest? Split, int? Version = null);

/// <summary>A group expense's fields after validation, with its payers' and shares' amounts allocated.</summary>
public sealed record GroupExpenseInput(string Description, Money Amount, string Rate, long GroupAmountMinor, DateOnly Date, string? Category, string SplitMode, List<GroupExpensePart> Parts);

/// <summary>
/// Checks a group expense and allocates it: shares by <see cref="Splits"/>, payers as given; in another currency the
/// group amount is converted at the expense's rate and the payers' and shares' group amounts are allocated from it by
/// the same largest-remainder rule (weights: their own amounts), so each side sums exactly to the group amount.
/// </summary>
public static class GroupExpenseValidation
{
    public const int MaxDescription = 200;
    public const int MaxCategory = 100;

    /// <summary>Answers the input, or null with <paramref name="v"/> filled (400) or <paramref name="missingRate"/> set (422).</summary>
    public static async Task<GroupExpenseInput?> ValidateAsync(
        GroupExpenseRequest r, Group group, Guid caller, PayTrackDb db, ExchangeRateCache rates, Validation v, Action<string> missingRate, CancellationToken ct)
    {
        v.Require("description", r.Description, "description is required.").MaxLength("description", r.Description?.Trim(), MaxDescription)
            .MaxLength("category", r.Category?.Trim(), MaxCategory);
        var groupCurrency = Currency.Get(group.Currency);
        var currency = groupCurrency;
        if (r.Currency is not null && !Currency.TryGet(r.Currency, out currency)) v.Add("currency", $"'{r.Currency}' is not a supported ISO 4217 currency code.");
        Money amount = default;
        var amountOk = currency is not null && Money.TryParse(r.Amount, currency, out amount, out var amountError)
            ? amount.ToDecimal() < ExpenseValidation.MaxAmount || Fail(v, "amount", $"amount must be less than {ExpenseValidation.MaxAmountText} {currency.Code}.")
            : currency is not null && Fail(v, "amount", Error(r.Amount, currency));
        if (!ExpenseValidation.TryParseDate(r.Date, out var date)) v.Add("date", "date is required as YYYY-MM-DD.");
        else if (date.Year is < 1900 or > 2999) v.Add("date", "date must be between 1900 and 2999.");
        if (r.Split is null) v.Add("split", "split is required: { mode, parts: [ { userId, value? } ] }.");
        if (!v.IsValid || !amountOk) return null;

        var members = (await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == group.Id && m.LeftAt == null).Select(m => m.UserId).ToListAsync(ct)).ToHashSet();

        // Payers: absent means the caller paid it all.
        var payers = new List<(Guid UserId, long Minor)>();
        if (r.Payers is null || r.Payers.Count == 0) payers.Add((caller, amount.Minor));
        else
        {
            foreach (var p in r.Payers)
            {
                if (p?.UserId is not { } uid) { v.Add("payers", "Every payer needs a userId."); continue; }
                if (!members.Contains(uid)) { v.Add("payers", $"{uid} is not a member of the group."); continue; }
                if (!Money.TryParse(p.Amount, currency!, out var paid, out var error)) { v.Add("payers", $"Payer amount: {error}"); continue; }
                payers.Add((uid, paid.Minor));
            }
            if (payers.Select(p => p.UserId).Distinct().Count() != payers.Count) v.Add("payers", "payers names a member twice.");
            else if (v.IsValid && payers.Sum(p => p.Minor) != amount.Minor)
                v.Add("payers", $"The payers' amounts add up to {new Money(payers.Sum(p => p.Minor), currency!).ToAmountString()}, not {amount.ToAmountString()}.");
        }

        var parts = new List<SplitPart>();
        foreach (var p in r.Split!.Parts ?? [])
        {
            if (p?.UserId is not { } uid) { v.Add("split", "Every split part needs a userId."); continue; }
            if (!members.Contains(uid)) { v.Add("split", $"{uid} is not a member of the group."); continue; }
            parts.Add(new SplitPart(uid, p.Value));
        }
        List<Share> shares = [];
        if (v.IsValid && !Splits.TryAllocate(amount, r.Split.Mode, parts, out shares, out var splitError)) v.Add("split", splitError);

        // The rate: 1 in the group's own currency; otherwise the request's, or the stored rate of the expense's date.
        decimal rate = 1m;
        if (currency!.Code == groupCurrency.Code)
        {
            if (r.Rate is not null && (!decimal.TryParse(r.Rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var same) || same != 1m))
                v.Add("rate", "An expense in the group's currency has rate 1.");
        }
        else if (r.Rate is not null)
        {
            if (!Money.IsPlainDecimal(r.Rate) || !decimal.TryParse(r.Rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out rate) || rate <= 0 || rate > 1_000_000m)
                v.Add("rate", "rate must be a positive decimal such as 1.0850.");
        }
        else if (v.IsValid)
        {
            var table = await rates.GetAsync(db, ct);
            if (!table.TryGetRate(currency.Code, groupCurrency.Code, date, out rate))
            {
                missingRate($"No {currency.Code}→{groupCurrency.Code} rate is stored for {date:yyyy-MM-dd} or before; give one in rate.");
                return null;
            }
        }
        if (!v.IsValid) return null;

        var groupAmount = RateTable.Convert(amount.Minor, currency, groupCurrency, rate);
        var payerGroup = Convert(groupAmount, payers);
        var shareGroup = Convert(groupAmount, shares.Select(s => (s.UserId, s.Minor)).ToList());
        var values = parts.ToDictionary(p => p.UserId, p => p.Value);
        var rows = payers.Select(p => new GroupExpensePart { Kind = GroupPartKinds.Payer, UserId = p.UserId, AmountMinor = p.Minor, GroupMinor = payerGroup[p.UserId] })
            .Concat(shares.Select(s => new GroupExpensePart
            {
                Kind = GroupPartKinds.Share, UserId = s.UserId, AmountMinor = s.Minor, GroupMinor = shareGroup[s.UserId],
                Value = r.Split.Mode == SplitModes.Equal ? null : values[s.UserId]?.Trim(),
            }))
            .ToList();
        var rateText = rate.ToString(CultureInfo.InvariantCulture);
        return new GroupExpenseInput(r.Description!.Trim(), amount, rateText, groupAmount, date, Blank(r.Category), r.Split.Mode!, rows);
    }

    /// <summary>The group-currency amounts of one side (payers or shares), allocated from the converted total in proportion to their own amounts.</summary>
    private static Dictionary<Guid, long> Convert(long groupAmount, List<(Guid UserId, long Minor)> side) =>
        side.Sum(s => s.Minor) == 0
            ? side.ToDictionary(s => s.UserId, _ => 0L)
            : Splits.Allocate(groupAmount, side).ToDictionary(s => s.UserId, s => s.Minor);

    private static bool Fail(Validation v, string field, string message)
    {
        v.Add(field, message);
        return false;
    }

    private static string Error(string? text, Currency currency)
    {
        Money.TryParse(text, currency, out _, out var error);
        return error;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
