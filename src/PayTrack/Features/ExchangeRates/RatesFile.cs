using System.Globalization;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;

namespace PayTrack.Features.ExchangeRates;

/// <summary>What a rates file holds: the rates, the lines that could not be read, and how many rate cells were left out on purpose (N/A, unsupported currency).</summary>
public sealed record RatesFileContent(List<ExchangeRate> Rates, List<ImportError> Errors, int Skipped);

/// <summary>
/// Reads the two rates-file shapes PayTrack takes:
/// <list type="bullet">
/// <item>long: <c>date,base,quote,rate</c> per line (a header line is optional);</item>
/// <item>the European Central Bank's wide CSV: a header <c>Date, USD, JPY, …</c> and one row per day of
/// euro rates — the daily <c>eurofxref.csv</c> ("27 November 2026", one row) and the history
/// <c>eurofxref-hist.csv</c> (ISO dates, many rows, <c>N/A</c> for days without a rate, a trailing comma).
/// Columns of currencies PayTrack does not support and N/A cells are skipped, not errors.</item>
/// </list>
/// </summary>
public static class RatesFile
{
    private static readonly string[] EcbDateFormats = ["yyyy-MM-dd", "d MMMM yyyy", "dd MMMM yyyy"];
    /// <summary>The largest CSV read out of a ZIP (the ECB's whole history is a few MB).</summary>
    public const long MaxUnzippedBytes = 64 * 1024 * 1024;

    /// <summary>
    /// A reader over the upload's text: the file itself, or — when it is a ZIP, as the ECB publishes
    /// eurofxref.zip and eurofxref-hist.zip — its first CSV entry. Null when a ZIP holds no usable CSV.
    /// </summary>
    public static async Task<TextReader?> OpenAsync(Stream upload, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await upload.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var head = buffer.Length >= 4 ? buffer.GetBuffer().AsSpan(0, 4).ToArray() : [];
        if (head is not [0x50, 0x4B, 0x03, 0x04]) return new StreamReader(buffer, detectEncodingFromByteOrderMarks: true);
        using var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Read);
        var entry = zip.Entries.FirstOrDefault(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));
        if (entry is null || entry.Length > MaxUnzippedBytes) return null;
        var csv = new MemoryStream();
        await using (var s = entry.Open()) await s.CopyToAsync(csv, ct);
        csv.Position = 0;
        return new StreamReader(csv, detectEncodingFromByteOrderMarks: true);
    }

    public static async Task<RatesFileContent> ReadAsync(TextReader reader, CancellationToken ct)
    {
        var rates = new List<ExchangeRate>();
        var errors = new List<ImportError>();
        var skipped = 0;
        string?[]? ecbQuotes = null; // per column after the date: the quote currency, or null for a column skipped
        var lineNo = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (lineNo == 1 && cells[0].Equals("date", StringComparison.OrdinalIgnoreCase))
            {
                if (cells.Length > 1 && !cells[1].Equals("base", StringComparison.OrdinalIgnoreCase))
                {
                    ecbQuotes = cells.Skip(1).Select(c => c.Length == 0 ? null : Currency.TryGet(c, out var q) && q.Code != "EUR" ? q.Code : null).ToArray();
                }
                continue;
            }
            if (ecbQuotes is null)
            {
                if (cells.Length != 4) { errors.Add(new ImportError(lineNo, $"Expected 4 columns (date,base,quote,rate), found {cells.Length}.")); continue; }
                if (ExchangeRateStore.TryParse(cells[0], cells[1], cells[2], cells[3], out var rate, out var error)) rates.Add(rate);
                else errors.Add(new ImportError(lineNo, error));
                continue;
            }
            if (!DateOnly.TryParseExact(cells[0], EcbDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add(new ImportError(lineNo, $"'{cells[0]}' is not a date such as 2026-11-27 or 27 November 2026."));
                continue;
            }
            var iso = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (var i = 1; i < cells.Length; i++)
            {
                var quote = i - 1 < ecbQuotes.Length ? ecbQuotes[i - 1] : null;
                var cell = cells[i];
                if (cell.Length == 0) continue; // the trailing comma
                if (quote is null || cell.Equals("N/A", StringComparison.OrdinalIgnoreCase)) { skipped++; continue; }
                if (ExchangeRateStore.TryParse(iso, "EUR", quote, cell, out var rate, out var error)) rates.Add(rate);
                else errors.Add(new ImportError(lineNo, $"{quote}: {error}"));
            }
        }
        return new RatesFileContent(rates, errors, skipped);
    }
}
