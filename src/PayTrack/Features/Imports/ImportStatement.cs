using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;
using PayTrack.Features.Rules;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Imports;

/// <summary>
/// <c>imported</c> spending rows stored, <c>incoming</c> income rows stored, <c>duplicates</c> rows already
/// present, <c>skipped</c> rows with a zero amount, <c>failed</c> bad rows (listed in <c>errors</c>, at most
/// <see cref="MaxErrors"/>); <c>warnings</c> name rows read with a change (an amount rounded to the currency).
/// Every transaction row of the file is counted in exactly one of the five numbers.
/// </summary>
public sealed record ImportResult(int Imported, int Duplicates, int Failed, List<ImportError> Errors, int Skipped = 0, int Incoming = 0, List<ImportError>? Warnings = null)
{
    public const int MaxErrors = 1000;
    public List<ImportError> Warnings { get; init; } = Warnings ?? [];
}

/// <summary>
/// Imports a bank file in one transaction. Every bad row is reported with its line; unless
/// <c>skipInvalid=true</c>, a file with any bad row stores nothing. Duplicates — the same external id,
/// or the same date, amount, currency and normalised payee as an entry stored before this import — are
/// skipped and counted, so importing a file twice imports nothing the second time, while two rows of
/// one file with the same bank id are both stored. Money going out is stored as an expense, money
/// coming in as an entry of kind income.
/// </summary>
public static class ImportStatement
{
    public const long MaxBytes = 50 * 1024 * 1024;

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var (form, problem) = await ImportForm.ReadAsync(request, principal, db, ct);
        if (problem is not null) return problem switch { ValidationProblem vp => vp, ProblemHttpResult p => p, _ => throw new InvalidOperationException() };
        return await ImportAsync(form!, principal.UserId(), db, events, clock, ct);
    }

    /// <summary>Parses the whole file, then stores it (or nothing, when rows are bad and skipping is not asked for).</summary>
    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportAsync(ImportForm form, Guid userId, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var file = StatementReader.Read(form.Bytes, form.FileName, form.Format, form.Options);
        var parsed = file.Result;
        if (parsed.FileError is not null) return TypedResults.ValidationProblem(new Validation().Add("file", parsed.FileError).Errors);

        var errors = parsed.Errors;
        var warnings = parsed.Warnings.Take(ImportResult.MaxErrors).ToList();
        if (errors.Count > 0 && !form.SkipInvalid)
            return TypedResults.Ok(new ImportResult(0, 0, errors.Count, errors.Take(ImportResult.MaxErrors).ToList(), parsed.Skipped, 0, warnings));

        var (imported, incoming, duplicates) = await StoreAsync(db, events, userId, parsed.Rows, clock.UtcNowStored(), ct);
        return TypedResults.Ok(new ImportResult(imported, duplicates, errors.Count, errors.Take(ImportResult.MaxErrors).ToList(), parsed.Skipped, incoming, warnings));
    }

    private static async Task<(int Imported, int Incoming, int Duplicates)> StoreAsync(PayTrackDb db, DomainEvents events, Guid userId, List<StatementRow> rows, DateTime now, CancellationToken ct)
    {
        if (rows.Count == 0) return (0, 0, 0);
        var rules = await RuleStorage.LoadAsync(db, userId, ct);
        var categories = (await db.Categories.AsNoTracking().Where(c => c.UserId == userId).Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct))
            .OrderBy(c => c.ParentId is null ? 0 : 1)
            .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);

        return await Sql.InTransactionAsync(db, async c =>
        {
            // What is already stored in the file's date window: cost grows with the window, not the user's history.
            var min = rows.Min(r => r.Date);
            var max = rows.Max(r => r.Date);
            var existing = await db.Expenses.AsNoTracking()
                .Where(e => e.UserId == userId && e.Date >= min && e.Date <= max)
                .Select(e => new { e.Date, e.AmountMinor, e.Currency, e.Payee, e.ExternalId, e.Kind })
                .ToListAsync(c);
            var externalIds = existing.Where(e => e.ExternalId != null).Select(e => e.ExternalId!).ToHashSet(StringComparer.Ordinal);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var e in existing)
            {
                var key = DuplicateKey(e.Date, e.AmountMinor, e.Currency, e.Payee, e.Kind);
                seen[key] = seen.GetValueOrDefault(key) + 1;
            }

            var duplicates = 0;
            var fresh = new List<Expense>(rows.Count);
            foreach (var row in rows)
            {
                if (row.ExternalId is { } ext && externalIds.Contains(ext)) { duplicates++; continue; }
                // Each stored expense cancels one identical row, so two identical purchases on one day survive a re-import as two.
                var key = DuplicateKey(row.Date, row.Amount.Minor, row.Amount.Currency.Code, row.Payee, row.Income ? ExpenseKinds.Income : ExpenseKinds.Expense);
                if (seen.TryGetValue(key, out var count) && count > 0)
                {
                    seen[key] = count - 1;
                    duplicates++;
                    continue;
                }
                // Not added to externalIds: a bank id repeated inside one file is two transactions, not a duplicate.

                var (ruleCategory, ruleTags) = RuleEngine.Evaluate(rules, new RuleSubject(row.Payee, row.Description, row.Amount.ToDecimal()));
                Guid? category = row.Category is { } name && categories.TryGetValue(name, out var id) ? id : ruleCategory;
                var expense = new Expense
                {
                    Id = Guid.CreateVersion7(), UserId = userId, CategoryId = category, AmountMinor = row.Amount.Minor,
                    Currency = row.Amount.Currency.Code, Kind = row.Income ? ExpenseKinds.Income : ExpenseKinds.Expense, Date = row.Date, Payee = row.Payee, Description = row.Description,
                    ExternalId = row.ExternalId, CreatedAt = now, UpdatedAt = now,
                };
                expense.Tags = ruleTags.Select(t => ExpenseTag.For(expense, t)).ToList();
                fresh.Add(expense);
            }
            // COPY / prepared inserts in this transaction: the change tracker would be the bottleneck for large files.
            await ExpenseBulkWriter.WriteAsync(db, fresh, c);
            var incoming = fresh.Count(e => e.Kind == ExpenseKinds.Income);
            if (fresh.Count > 0)
            {
                // One event for the whole import (not one per row): what reacts to new spending (budget
                // alerts) reads the stored expenses of the dates and currencies it names.
                events.AddTo(db, new DomainEvent("expenses.imported", userId, userId, "import", Guid.CreateVersion7(), new
                {
                    imported = fresh.Count - incoming, incoming, duplicates,
                    from = fresh.Min(e => e.Date), to = fresh.Max(e => e.Date),
                    currencies = fresh.Select(e => e.Currency).Distinct().Order(StringComparer.Ordinal).ToList(),
                }));
                await db.SaveChangesAsync(c);
            }
            return (fresh.Count - incoming, incoming, duplicates);
        }, ct);
    }

    // The kind is part of the key: a refund of 50.00 from a shop is not a duplicate of a 50.00 purchase there.
    internal static string DuplicateKey(DateOnly date, long minor, string currency, string? payee, string kind) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{date.DayNumber}|{minor}|{currency}|{kind}|{StatementText.NormalizePayee(payee)}");
}
