using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Expenses;

namespace PayTrack.Features.ExchangeRates;

public sealed record ExchangeRateResponse(DateOnly Date, string Base, string Quote, string Rate);

public static class ExchangeRateStore
{
    /// <summary>Rates are decimals with at most this many decimals (numeric(38,18) on PostgreSQL).</summary>
    public const int MaxScale = 18;
    public const decimal MaxRate = 1_000_000_000_000m;

    public static ExchangeRateResponse ToResponse(this ExchangeRate r) =>
        new(r.Date, r.Base, r.Quote, Format(r.Rate));

    /// <summary>A rate without the trailing zeros PostgreSQL's numeric(38,18) pads it with.</summary>
    public static string Format(decimal rate) => rate.ToString("0.##################", CultureInfo.InvariantCulture);

    /// <summary>Parses one rate; answers an error message for the field or line that carried it.</summary>
    public static bool TryParse(string? date, string? @base, string? quote, string? rate, out ExchangeRate parsed, out string error)
    {
        parsed = new ExchangeRate();
        error = "";
        if (!ExpenseValidation.TryParseDate(date, out var d)) { error = "date must be YYYY-MM-DD."; return false; }
        if (!Currency.TryGet(@base, out var b)) { error = $"base '{@base}' is not a supported currency."; return false; }
        if (!Currency.TryGet(quote, out var q)) { error = $"quote '{quote}' is not a supported currency."; return false; }
        if (b.Code == q.Code) { error = "base and quote must differ."; return false; }
        if (!decimal.TryParse(rate?.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var r) || r <= 0 || r >= MaxRate)
        {
            error = "rate must be a positive decimal such as 1.0834.";
            return false;
        }
        if (r.Scale > MaxScale && decimal.Round(r, MaxScale) != r) { error = $"rate has at most {MaxScale} decimals."; return false; }
        parsed = new ExchangeRate { Date = d, Base = b.Code, Quote = q.Code, Rate = r };
        return true;
    }

    /// <summary>Inserts or replaces each rate (the last one wins when a batch names a key twice).</summary>
    public static async Task<int> UpsertAsync(PayTrackDb db, ExchangeRateCache cache, IReadOnlyList<ExchangeRate> rates, DateTime now, CancellationToken ct)
    {
        var unique = rates.GroupBy(r => (r.Base, r.Quote, r.Date)).Select(g => g.Last()).ToList();
        foreach (var pair in unique.GroupBy(r => (r.Base, r.Quote)))
        {
            var (b, q) = pair.Key;
            var min = pair.Min(r => r.Date);
            var max = pair.Max(r => r.Date);
            var existing = await db.ExchangeRates.Where(r => r.Base == b && r.Quote == q && r.Date >= min && r.Date <= max)
                .ToDictionaryAsync(r => r.Date, ct);
            foreach (var rate in pair)
            {
                if (existing.TryGetValue(rate.Date, out var row)) { row.Rate = rate.Rate; row.UpdatedAt = now; }
                else db.ExchangeRates.Add(new ExchangeRate { Base = b, Quote = q, Date = rate.Date, Rate = rate.Rate, UpdatedAt = now });
            }
        }
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return unique.Count;
    }
}
