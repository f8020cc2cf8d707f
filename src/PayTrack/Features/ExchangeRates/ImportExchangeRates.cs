using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Features.Imports;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.ExchangeRates;

/// <summary>Loads a rates file (<see cref="RatesFile"/>: <c>date,base,quote,rate</c> lines or the ECB's euro reference CSV, also as the ZIP the ECB publishes). Any bad line stores nothing.</summary>
public static class ImportExchangeRates
{
    public const long MaxBytes = 20 * 1024 * 1024;

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Handle(HttpRequest request, PayTrackDb db, ExchangeRateCache cache, TimeProvider clock, CancellationToken ct)
    {
        var form = await MultipartForms.ReadAsync(request, ct);
        if (form.Problem is not null) return form.Problem;
        if (form.File is null) return ProblemSetup.Problem(400, "file-required", "File required", "Send the rates file in the multipart field 'file'.");

        await using var upload = form.File.OpenReadStream();
        using var text = await RatesFile.OpenAsync(upload, ct);
        if (text is null)
            return ProblemSetup.Problem(400, "rates-file-unreadable", "Rates file unreadable", "The ZIP file holds no CSV file, or its CSV file is too large.");
        var (rates, errors, skipped) = await RatesFile.ReadAsync(text, ct);
        if (errors.Count > 0) return TypedResults.Ok(new ImportResult(0, 0, errors.Count, errors.Take(ImportResult.MaxErrors).ToList(), skipped));
        var count = rates.Count == 0 ? 0 : await ExchangeRateStore.UpsertAsync(db, cache, rates, clock.UtcNowStored(), ct);
        return TypedResults.Ok(new ImportResult(count, 0, 0, [], skipped));
    }
}
