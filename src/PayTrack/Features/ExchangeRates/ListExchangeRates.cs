using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Expenses;
using PayTrack.Infrastructure;

namespace PayTrack.Features.ExchangeRates;

public static class ListExchangeRates
{
    public static async Task<Results<Ok<Page<ExchangeRateResponse>>, ValidationProblem>> Handle(
        string? @base, string? quote, int? limit, string? cursor, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var take = limit ?? Paging.DefaultLimit;
        if (take is < 1 or > Paging.MaxLimit) v.Add("limit", $"limit must be between 1 and {Paging.MaxLimit}.");
        Currency? b = null, q = null;
        if (@base is not null && !Currency.TryGet(@base, out b)) v.Add("base", $"'{@base}' is not a supported currency.");
        if (quote is not null && !Currency.TryGet(quote, out q)) v.Add("quote", $"'{quote}' is not a supported currency.");
        (DateOnly Date, string Base, string Quote)? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (TryDecode(cursor, out var position)) after = position;
            else v.Add("cursor", "cursor is not one this API handed out.");
        }
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var query = db.ExchangeRates.AsNoTracking();
        if (b is not null) query = query.Where(r => r.Base == b.Code);
        if (q is not null) query = query.Where(r => r.Quote == q.Code);
        if (after is { } a)
        {
            query = query.Where(r => r.Date < a.Date
                || (r.Date == a.Date && (string.Compare(r.Base, a.Base) > 0 || (r.Base == a.Base && string.Compare(r.Quote, a.Quote) > 0))));
        }
        var rows = await query.OrderByDescending(r => r.Date).ThenBy(r => r.Base).ThenBy(r => r.Quote).Take(take + 1).ToListAsync(ct);
        var hasMore = rows.Count > take;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        return TypedResults.Ok(new Page<ExchangeRateResponse>(rows.Select(r => r.ToResponse()).ToList(), hasMore ? Encode(rows[^1]) : null));
    }

    // A rate's key is (date, base, quote); the cursor carries it as opaque text.
    private static string Encode(ExchangeRate r) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{r.Date:yyyy-MM-dd}|{r.Base}|{r.Quote}"));

    private static bool TryDecode(string cursor, out (DateOnly, string, string) position)
    {
        position = default;
        if (cursor.Length > 40 || !Base64Url.IsValid(cursor)) return false;
        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
        if (parts.Length != 3 || !ExpenseValidation.TryParseDate(parts[0], out var date) || !Currency.IsSupported(parts[1]) || !Currency.IsSupported(parts[2])) return false;
        position = (date, parts[1], parts[2]);
        return true;
    }
}
