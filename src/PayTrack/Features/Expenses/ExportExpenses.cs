using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Expenses;

/// <summary>Streams the caller's expenses as CSV, newest first; cells a spreadsheet would run as formulas are neutralised.</summary>
public static class ExportExpenses
{
    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Handle(
        string? format, string? from, string? to, Guid? categoryId, string? tag, string? q, string? minAmount, string? maxAmount,
        ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct, string? kind = null)
    {
        var userId = principal.UserId();
        var v = new Validation();
        if (format is not (null or "csv")) v.Add("format", "format must be csv.");
        var filter = await ListExpenses.ReadFilterAsync(from, to, categoryId, tag, q, minAmount, maxAmount, userId, db, v, ct, kind);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var categories = await db.Categories.AsNoTracking().Where(c => c.UserId == userId).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var query = ListExpenses.Apply(db.Expenses.AsNoTracking().Where(e => e.UserId == userId), filter!, db)
            .Include(e => e.Tags)
            .OrderByDescending(e => e.Date).ThenByDescending(e => e.Id);
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, CsvText.Utf8, 65536);
            await writer.WriteAsync(CsvText.Line("id", "date", "amount", "currency", "category", "payee", "description", "tags", "kind"));
            await foreach (var e in query.AsAsyncEnumerable().WithCancellation(ct))
            {
                var category = e.CategoryId is { } c && categories.TryGetValue(c, out var name) ? name : null;
                await writer.WriteAsync(CsvText.Line(
                    e.Id.ToString(), e.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Money.FromMinor(e.AmountMinor, e.Currency).ToAmountString(), e.Currency,
                    CsvText.Cell(category), CsvText.Cell(e.Payee), CsvText.Cell(e.Description),
                    CsvText.Cell(string.Join(' ', e.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal))), e.Kind));
            }
        }, "text/csv; charset=utf-8", "expenses.csv");
    }
}
