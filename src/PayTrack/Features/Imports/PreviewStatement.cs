using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Features.Imports.Parsing;

namespace PayTrack.Features.Imports;

/// <summary>A column of a CSV file: its 1-based number (a mapping may name it so), its name (header cell, or the number) and its first values.</summary>
public sealed record PreviewColumn(int Index, string Name, List<string> Sample);

/// <summary>One row as the import would treat it: status spending, income, skipped or error.</summary>
public sealed record PreviewRow(int Line, string Status, string? Date, string? Amount, string? Currency, string? Payee, string? Description, string? Category, string? Message);

/// <summary>The counts the import would answer (before duplicates, which depend on what is stored).</summary>
public sealed record PreviewTotals(int Rows, int Spending, int Incoming, int Skipped, int Failed);

/// <summary>
/// What an import of this file would do, changing nothing: format, encoding, CSV delimiter and header line,
/// columns with samples, the guessed mapping and the one used, the first rows parsed, totals and warnings.
/// <c>error</c> is set when the file cannot be imported as it stands (a column not found, not an OFX file).
/// </summary>
public sealed record PreviewResult(
    string Format, string Encoding, string? Delimiter, int? HeaderLine, List<PreviewColumn> Columns, CsvMapping? Guessed, CsvMapping? Mapping,
    List<PreviewRow> Rows, PreviewTotals Totals, List<ImportError> Warnings, string? Error)
{
    public const int MaxRows = 20;
}

public static class PreviewStatement
{
    public static async Task<Results<Ok<PreviewResult>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var (form, problem) = await ImportForm.ReadAsync(request, principal, db, ct);
        if (problem is not null) return problem switch { ValidationProblem vp => vp, ProblemHttpResult p => p, _ => throw new InvalidOperationException() };
        return TypedResults.Ok(Preview(form!));
    }

    /// <summary>Pure: the preview of a form's file.</summary>
    public static PreviewResult Preview(ImportForm form, int maxRows = PreviewResult.MaxRows)
    {
        var file = StatementReader.Read(form.Bytes, form.FileName, form.Format, form.Options);
        var r = file.Result;
        var rows = new List<PreviewRow>(maxRows);
        rows.AddRange(r.Rows.Take(maxRows).Select(x => new PreviewRow(x.Line, x.Income ? "income" : "spending", x.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            x.Amount.ToAmountString(), x.Amount.Currency.Code, x.Payee, x.Description, x.Category, null)));
        rows.AddRange(r.SkippedLines.Take(maxRows).Select(x => new PreviewRow(x.Line, "skipped", null, null, null, null, null, null, x.Message)));
        rows.AddRange(r.Errors.Take(maxRows).Select(x => new PreviewRow(x.Line, "error", null, null, null, null, null, null, x.Message)));
        rows = rows.OrderBy(x => x.Line).Take(maxRows).ToList();

        List<PreviewColumn> columns = [];
        if (file.Csv is { } csv)
        {
            columns = csv.Layout.Columns.Select((name, i) => new PreviewColumn(i + 1, name,
                csv.Layout.Records.Where(rec => i < rec.Cells.Length && rec.Cells[i].Length > 0).Take(5).Select(rec => rec.Cells[i]).ToList())).ToList();
        }
        var incoming = r.Rows.Count(x => x.Income);
        return new PreviewResult(file.Format, file.Encoding, file.Csv is null ? null : CsvRecords.Name(file.Csv.Layout.Delimiter), file.Csv?.Layout.HeaderLine,
            columns, file.Csv?.Guessed, file.Csv?.Used, rows,
            new PreviewTotals(r.TransactionRows, r.Rows.Count - incoming, incoming, r.Skipped, r.Errors.Count),
            r.Warnings.Take(ImportResult.MaxErrors).ToList(), r.FileError);
    }
}
