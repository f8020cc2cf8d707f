using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.ExchangeRates;
using PayTrack.Features.Reports;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Budgets;

public sealed record BudgetRequest(
    string? Name, Guid? CategoryId, [property: JsonConverter(typeof(AmountTextConverter))] string? Amount, string? Currency, string? Period, int? StartDay);

/// <summary>A budget with its current period: spent (converted into the budget's currency), remaining (negative when over) and percent used.</summary>
public sealed record BudgetResponse(
    Guid Id, string Name, Guid? CategoryId, string Amount, string Currency, string Period, int StartDay,
    DateOnly PeriodStart, DateOnly PeriodEnd, string Spent, string Remaining, decimal PercentUsed, List<MissingRate> MissingRates,
    DateTime CreatedAt, DateTime UpdatedAt);

public static class BudgetLogic
{
    public static async Task<BudgetResponse> ToResponseAsync(PayTrackDb db, ExchangeRateCache rates, Budget b, DateOnly today, CancellationToken ct)
    {
        var period = BudgetPeriod.Containing(today, b.Period, b.StartDay);
        List<Guid>? categories = null;
        if (b.CategoryId is { } cid)
            categories = await db.Categories.Where(c => c.UserId == b.UserId && (c.Id == cid || c.ParentId == cid)).Select(c => c.Id).ToListAsync(ct);
        var currency = Currency.Get(b.Currency);
        var (spent, _, missing) = await SpendingEngine.TotalAsync(db, rates, b.UserId, period.Start, period.End, categories, currency, ct);
        var amount = new Money(b.AmountMinor, currency);
        var percent = b.AmountMinor == 0 ? 0 : decimal.Round(spent * 100m / b.AmountMinor, 1, MidpointRounding.AwayFromZero);
        return new BudgetResponse(b.Id, b.Name, b.CategoryId, amount.ToAmountString(), b.Currency, b.Period, b.StartDay,
            period.Start, period.End, new Money(spent, currency).ToAmountString(), new Money(b.AmountMinor - spent, currency).ToAmountString(),
            percent, missing, b.CreatedAt, b.UpdatedAt);
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.UtcNowStored());

    /// <summary>Validates a create or update; fills <paramref name="target"/> when valid.</summary>
    public static async Task<bool> TryApplyAsync(BudgetRequest r, Guid userId, PayTrackDb db, Validation v, Budget target, CancellationToken ct)
    {
        v.Require("name", r.Name, "name is required.").MaxLength("name", r.Name?.Trim(), 100);
        Currency? currency = null;
        if (r.Currency is null) currency = Currency.Get(await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultCurrency).FirstAsync(ct));
        else if (!Currency.TryGet(r.Currency, out currency)) v.Add("currency", $"'{r.Currency}' is not a supported currency.");
        Money amount = default;
        if (currency is not null && !Money.TryParse(r.Amount, currency, out amount, out var error)) v.Add("amount", error);
        var period = r.Period?.ToLowerInvariant();
        if (period is not (BudgetPeriod.Monthly or BudgetPeriod.Weekly)) v.Add("period", "period must be monthly or weekly.");
        var startDay = r.StartDay ?? 1;
        if (period == BudgetPeriod.Monthly && startDay is < 1 or > 28) v.Add("startDay", "startDay must be between 1 and 28 for monthly budgets.");
        if (period == BudgetPeriod.Weekly && startDay is < 1 or > 7) v.Add("startDay", "startDay must be between 1 (Monday) and 7 (Sunday) for weekly budgets.");
        if (r.CategoryId is { } cat && !await db.Categories.AnyAsync(c => c.Id == cat && c.UserId == userId, ct))
            v.Add("categoryId", "categoryId is not one of your categories.");
        if (!v.IsValid) return false;
        target.Name = r.Name!.Trim();
        target.CategoryId = r.CategoryId;
        target.AmountMinor = amount.Minor;
        target.Currency = currency!.Code;
        target.Period = period!;
        target.StartDay = startDay;
        return true;
    }
}
