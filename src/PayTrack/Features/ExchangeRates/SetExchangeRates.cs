using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;

namespace PayTrack.Features.ExchangeRates;

public sealed record RateInput(string? Date, string? Base, string? Quote, [property: JsonConverter(typeof(AmountTextConverter))] string? Rate);
public sealed record SetExchangeRatesRequest(List<RateInput>? Rates);
public sealed record SetExchangeRatesResponse(int Updated);

public static class SetExchangeRates
{
    public const int MaxRates = 10_000;

    public static async Task<Results<Ok<SetExchangeRatesResponse>, ValidationProblem>> Handle(
        SetExchangeRatesRequest request, PayTrackDb db, ExchangeRateCache cache, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (request.Rates is null || request.Rates.Count == 0) v.Add("rates", "rates must hold at least one rate.");
        else if (request.Rates.Count > MaxRates) v.Add("rates", $"At most {MaxRates} rates per request.");
        var parsed = new List<ExchangeRate>();
        for (var i = 0; request.Rates is { Count: <= MaxRates } && i < request.Rates.Count; i++)
        {
            var r = request.Rates[i];
            if (r is null) { v.Add($"rates[{i}]", "A rate is required."); continue; }
            if (ExchangeRateStore.TryParse(r.Date, r.Base, r.Quote, r.Rate, out var rate, out var error)) parsed.Add(rate);
            else v.Add($"rates[{i}]", error);
        }
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var count = await ExchangeRateStore.UpsertAsync(db, cache, parsed, clock.UtcNowStored(), ct);
        return TypedResults.Ok(new SetExchangeRatesResponse(count));
    }
}
