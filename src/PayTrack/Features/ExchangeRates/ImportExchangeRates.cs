using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Features.Imports;
using PayTrack.Features.Imports.Parsing;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.ExchangeRates;

/// <summary>Loads a rates file: CSV <c>date,base,quote,rate</c> (a header line is optional). Any bad line stores nothing.</summary>
public static class ImportExchangeRates
{
    public const long MaxBytes = 20 * 1024 * 1024;

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Handle(HttpRequest request, PayTrackDb db, ExchangeRateCache cache, TimeProvider clock, CancellationToken ct)
    {
        var form = await MultipartForms.ReadAsync(request, ct);
        if (form.Problem is not null) return form.Problem;
        if (form.File is null) return ProblemSetup.Problem(400, "file-required", "File required", "Send the rates file in the multipart field 'file'.");

        var rates = new List<ExchangeRate>();
        var errors = new List<ImportError>();
        using var reader = new StreamReader(form.File.OpenReadStream(), detectEncodingFromByteOrderMarks: true);
        var lineNo = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (lineNo == 1 && cells.Length > 0 && cells[0].Equals("date", StringComparison.OrdinalIgnoreCase)) continue;
            if (cells.Length != 4) { errors.Add(new ImportError(lineNo, $"Expected 4 columns (date,base,quote,rate), found {cells.Length}.")); continue; }
            if (ExchangeRateStore.TryParse(cells[0], cells[1], cells[2], cells[3], out var rate, out var error)) rates.Add(rate);
            else errors.Add(new ImportError(lineNo, error));
        }
        if (errors.Count > 0) return TypedResults.Ok(new ImportResult(0, 0, errors.Count, errors.Take(ImportResult.MaxErrors).ToList()));
        var count = rates.Count == 0 ? 0 : await ExchangeRateStore.UpsertAsync(db, cache, rates, clock.UtcNowStored(), ct);
        return TypedResults.Ok(new ImportResult(count, 0, 0, []));
    }
}
