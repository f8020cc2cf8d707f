using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Expenses;

/// <summary>Filters shared by the expense list and its CSV export.</summary>
public sealed record ExpenseFilter(Guid UserId, DateOnly? From, DateOnly? To, List<Guid>? CategoryIds, string? Tag, string? Text, decimal? MinAmount, decimal? MaxAmount, string? Kind = null);

public static class ListExpenses
{
    public static async Task<Results<Ok<Page<ExpenseResponse>>, ValidationProblem>> Handle(
        string? from, string? to, Guid? categoryId, string? tag, string? q, string? minAmount, string? maxAmount,
        int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct, string? kind = null)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var (take, after) = Paging.ReadDated(limit, cursor, v);
        var filter = await ReadFilterAsync(from, to, categoryId, tag, q, minAmount, maxAmount, userId, db, v, ct, kind);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var query = Apply(db.Expenses.AsNoTracking().Where(e => e.UserId == userId), filter!, db);
        // The redundant "date <= cursor date" gives the planner an index range to start from, so page 200 costs what page 1 does.
        if (after is { } a) query = query.Where(e => e.Date <= a.Date && (e.Date < a.Date || (e.Date == a.Date && e.Id.CompareTo(a.Id) < 0)));
        var rows = await query.OrderByDescending(e => e.Date).ThenByDescending(e => e.Id).Take(take + 1).ToListAsync(ct);
        var hasMore = rows.Count > take;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        var items = await ExpenseMapping.ToResponsesAsync(db, rows, ct);
        return TypedResults.Ok(new Page<ExpenseResponse>(items, hasMore ? Paging.Encode(new DatedCursor(rows[^1].Date, rows[^1].Id)) : null));
    }

    internal static async Task<ExpenseFilter?> ReadFilterAsync(
        string? from, string? to, Guid? categoryId, string? tag, string? q, string? minAmount, string? maxAmount,
        Guid userId, PayTrackDb db, Validation v, CancellationToken ct, string? kind = null)
    {
        if (!string.IsNullOrEmpty(kind) && !ExpenseKinds.IsValid(kind)) v.Add("kind", "kind must be expense or income.");
        DateOnly? f = null, t = null;
        if (!string.IsNullOrEmpty(from)) { if (ExpenseValidation.TryParseDate(from, out var d)) f = d; else v.Add("from", "from must be a date YYYY-MM-DD."); }
        if (!string.IsNullOrEmpty(to)) { if (ExpenseValidation.TryParseDate(to, out var d)) t = d; else v.Add("to", "to must be a date YYYY-MM-DD."); }
        if (f > t) v.Add("to", "to must not be before from.");
        decimal? min = ParseAmount("minAmount", minAmount, v), max = ParseAmount("maxAmount", maxAmount, v);
        List<Guid>? categories = null;
        if (categoryId is { } cid)
        {
            // A category includes its sub-categories.
            categories = await db.Categories.Where(c => c.UserId == userId && (c.Id == cid || c.ParentId == cid)).Select(c => c.Id).ToListAsync(ct);
            if (categories.Count == 0) v.Add("categoryId", "categoryId is not one of your categories.");
        }
        return v.IsValid
            ? new ExpenseFilter(userId, f, t, categories, string.IsNullOrWhiteSpace(tag) ? null : Tags.Normalize(tag), string.IsNullOrWhiteSpace(q) ? null : q.Trim().ToLowerInvariant(), min, max,
                string.IsNullOrEmpty(kind) ? null : kind)
            : null;
    }

    private static decimal? ParseAmount(string field, string? text, Validation v)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d < Money.MaxMajor) return d;
        v.Add(field, $"{field} must be a decimal amount such as 12.34.");
        return null;
    }

    // Amounts are minor units of each row's own currency, so a major-unit bound becomes one bound per minor-digit count.
    private static readonly string[] Digits0 = Codes(0), Digits2 = Codes(2), Digits3 = Codes(3);

    private static string[] Codes(int digits) => Currency.Supported.Where(c => c.MinorDigits == digits).Select(c => c.Code).ToArray();

    static ListExpenses()
    {
        if (Currency.Supported.Any(c => c.MinorDigits is not (0 or 2 or 3)))
            throw new InvalidOperationException("The amount filter handles currencies with 0, 2 or 3 minor digits; extend it.");
    }

    internal static IQueryable<Expense> Apply(IQueryable<Expense> query, ExpenseFilter filter, PayTrackDb db)
    {
        if (filter.From is { } from) query = query.Where(e => e.Date >= from);
        if (filter.To is { } to) query = query.Where(e => e.Date <= to);
        if (filter.Kind is { } kind) query = query.Where(e => e.Kind == kind);
        if (filter.CategoryIds is { } ids) query = query.Where(e => e.CategoryId != null && ids.Contains(e.CategoryId.Value));
        if (filter.Tag is { } tag)
        {
            var user = filter.UserId;
            query = query.Where(e => db.ExpenseTags.Any(t => t.UserId == user && t.ExpenseId == e.Id && t.Tag == tag));
        }
        if (filter.Text is { } text)
            query = query.Where(e => (e.Payee != null && e.Payee.ToLower().Contains(text)) || (e.Description != null && e.Description.ToLower().Contains(text)));
        if (filter.MinAmount is { } min)
        {
            long m0 = MinorCeiling(min, 1), m2 = MinorCeiling(min, 100), m3 = MinorCeiling(min, 1000);
            var (d0, d2, d3) = (Digits0, Digits2, Digits3);
            query = query.Where(e => (d0.Contains(e.Currency) && e.AmountMinor >= m0) || (d2.Contains(e.Currency) && e.AmountMinor >= m2) || (d3.Contains(e.Currency) && e.AmountMinor >= m3));
        }
        if (filter.MaxAmount is { } max)
        {
            long m0 = MinorFloor(max, 1), m2 = MinorFloor(max, 100), m3 = MinorFloor(max, 1000);
            var (d0, d2, d3) = (Digits0, Digits2, Digits3);
            query = query.Where(e => (d0.Contains(e.Currency) && e.AmountMinor <= m0) || (d2.Contains(e.Currency) && e.AmountMinor <= m2) || (d3.Contains(e.Currency) && e.AmountMinor <= m3));
        }
        return query;
    }

    private static long MinorCeiling(decimal major, long perMajor) => (long)decimal.Ceiling(major * perMajor);
    private static long MinorFloor(decimal major, long perMajor) => (long)decimal.Floor(major * perMajor);
}
