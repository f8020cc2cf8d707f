using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;
using PayTrack.Features.Rules;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Imports;

/// <summary>
/// <c>imported</c> new expenses, <c>duplicates</c> skipped as already present, <c>failed</c> bad rows
/// (listed in <c>errors</c>, at most <see cref="MaxErrors"/>), <c>skipped</c> rows that are money coming in.
/// </summary>
public sealed record ImportResult(int Imported, int Duplicates, int Failed, List<ImportError> Errors, int Skipped = 0)
{
    public const int MaxErrors = 1000;
}

/// <summary>
/// Imports a bank file in one transaction. Every bad row is reported with its line; unless
/// <c>skipInvalid=true</c>, a file with any bad row stores nothing. Duplicates — the same external id,
/// or the same date, amount, currency and normalised payee as an expense already stored — are skipped
/// and counted, so importing a file twice imports nothing the second time.
/// </summary>
public static class ImportStatement
{
    public const long MaxBytes = 50 * 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var upload = await MultipartForms.ReadAsync(request, ct);
        if (upload.Problem is not null) return upload.Problem;
        var form = upload.Form!;
        var v = new Validation();
        if (upload.File is null) v.Add("file", "A file is required in the multipart field 'file'.");
        string? format = form["format"].ToString() is { Length: > 0 } fmt ? fmt.Trim().ToLowerInvariant() : null;
        if (format is not (null or "csv" or "ofx" or "qfx" or "qif")) v.Add("format", "format must be csv, ofx or qif.");
        var skipInvalid = form["skipInvalid"].ToString() is { Length: > 0 } s && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1");
        CsvMapping? mapping = null;
        if (form["mapping"].ToString() is { Length: > 0 } mappingJson)
        {
            try { mapping = JsonSerializer.Deserialize<CsvMapping>(mappingJson, Json); }
            catch (JsonException ex) { v.Add("mapping", $"mapping is not valid JSON: {ex.Message}"); }
            if (mapping is not null && (string.IsNullOrWhiteSpace(mapping.Date) || string.IsNullOrWhiteSpace(mapping.Amount)))
                v.Add("mapping", "mapping must name the date and amount columns.");
            if (mapping?.DateFormat is { Length: > 40 }) v.Add("mapping", "mapping.dateFormat is too long.");
        }
        var currencyCode = form["currency"].ToString() is { Length: > 0 } c ? c : await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultCurrency).FirstAsync(ct);
        if (!Currency.TryGet(currencyCode, out var currency)) v.Add("currency", $"'{currencyCode}' is not a supported currency.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var parsed = await ParseAsync(upload.File!, format, new ParseOptions(currency, mapping, mapping?.DateFormat), ct);
        if (parsed.FileError is not null) return TypedResults.ValidationProblem(new Validation().Add("file", parsed.FileError).Errors);

        var errors = parsed.Errors.OrderBy(e => e.Line).ToList();
        if (errors.Count > 0 && !skipInvalid)
            return TypedResults.Ok(new ImportResult(0, 0, errors.Count, errors.Take(ImportResult.MaxErrors).ToList(), parsed.Skipped));

        var (imported, duplicates) = await StoreAsync(db, userId, parsed.Rows, clock.UtcNowStored(), ct);
        return TypedResults.Ok(new ImportResult(imported, duplicates, errors.Count, errors.Take(ImportResult.MaxErrors).ToList(), parsed.Skipped));
    }

    internal static async Task<ParseResult> ParseAsync(IFormFile file, string? format, ParseOptions options, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var content = await reader.ReadToEndAsync(ct);
        format ??= Detect(content, file.FileName);
        using var text = new StringReader(content);
        return format switch
        {
            "ofx" or "qfx" => OfxParser.Parse(text, options),
            "qif" => QifParser.Parse(text, options),
            _ => CsvStatementParser.Parse(text, options),
        };
    }

    internal static string Detect(string content, string? fileName)
    {
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (ext is ".ofx" or ".qfx") return "ofx";
        if (ext == ".qif") return "qif";
        var head = content.Length > 4096 ? content[..4096] : content;
        if (OfxParser.LooksLikeOfx(head)) return "ofx";
        if (QifParser.LooksLikeQif(head)) return "qif";
        return "csv";
    }

    private static async Task<(int Imported, int Duplicates)> StoreAsync(PayTrackDb db, Guid userId, List<StatementRow> rows, DateTime now, CancellationToken ct)
    {
        if (rows.Count == 0) return (0, 0);
        var rules = await RuleStorage.LoadAsync(db, userId, ct);
        var categories = (await db.Categories.AsNoTracking().Where(c => c.UserId == userId).Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct))
            .OrderBy(c => c.ParentId is null ? 0 : 1)
            .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // What is already stored in the file's date window: cost grows with the window, not the user's history.
        var min = rows.Min(r => r.Date);
        var max = rows.Max(r => r.Date);
        var existing = await db.Expenses.AsNoTracking()
            .Where(e => e.UserId == userId && e.Date >= min && e.Date <= max)
            .Select(e => new { e.Date, e.AmountMinor, e.Currency, e.Payee, e.ExternalId })
            .ToListAsync(ct);
        var externalIds = existing.Where(e => e.ExternalId != null).Select(e => e.ExternalId!).ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in existing)
        {
            var key = DuplicateKey(e.Date, e.AmountMinor, e.Currency, e.Payee);
            seen[key] = seen.GetValueOrDefault(key) + 1;
        }

        var duplicates = 0;
        var fresh = new List<Expense>(rows.Count);
        foreach (var row in rows)
        {
            if (row.ExternalId is { } ext && externalIds.Contains(ext)) { duplicates++; continue; }
            // Each stored expense cancels one identical row, so two identical purchases on one day survive a re-import as two.
            var key = DuplicateKey(row.Date, row.Amount.Minor, row.Amount.Currency.Code, row.Payee);
            if (seen.TryGetValue(key, out var count) && count > 0)
            {
                seen[key] = count - 1;
                duplicates++;
                continue;
            }
            if (row.ExternalId is { } newExt) externalIds.Add(newExt);

            var (ruleCategory, ruleTags) = RuleEngine.Evaluate(rules, new RuleSubject(row.Payee, row.Description, row.Amount.ToDecimal()));
            Guid? category = row.Category is { } name && categories.TryGetValue(name, out var id) ? id : ruleCategory;
            var expense = new Expense
            {
                Id = Guid.CreateVersion7(), UserId = userId, CategoryId = category, AmountMinor = row.Amount.Minor,
                Currency = row.Amount.Currency.Code, Date = row.Date, Payee = row.Payee, Description = row.Description,
                ExternalId = row.ExternalId, CreatedAt = now, UpdatedAt = now,
            };
            expense.Tags = ruleTags.Select(t => ExpenseTag.For(expense, t)).ToList();
            fresh.Add(expense);
        }
        // COPY / prepared inserts in this transaction: the change tracker would be the bottleneck for large files.
        await ExpenseBulkWriter.WriteAsync(db, fresh, ct);
        var imported = fresh.Count;
        await tx.CommitAsync(ct);
        return (imported, duplicates);
    }

    internal static string DuplicateKey(DateOnly date, long minor, string currency, string? payee) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{date.DayNumber}|{minor}|{currency}|{StatementText.NormalizePayee(payee)}");
}
