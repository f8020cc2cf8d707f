using Microsoft.AspNetCore.Mvc;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

using PayTrack.Infrastructure.Idempotency;

namespace PayTrack.Features.ExchangeRates;

public static class ExchangeRatesEndpoints
{
    /// <summary>Exchange rates used by reports and budgets: everyone reads them, admins set them.</summary>
    public static IEndpointRouteBuilder MapExchangeRates(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/exchange-rates").WithTags("ExchangeRates").RequireAuthorization();
        group.MapGet("/", ListExchangeRates.Handle).WithSummary("Rates, newest date first, optionally for one base and/or quote currency.");
        group.MapPut("/", SetExchangeRates.Handle).RequireAuthorization(AuthSetup.AdminPolicy).WithJsonBodyLimit(4 * 1024 * 1024)
            .WithSummary("Set rates (admin): each { date, base, quote, rate } is inserted or replaced.");
        group.MapPost("/import", ImportExchangeRates.Handle).HonourIdempotencyKey().RequireAuthorization(AuthSetup.AdminPolicy)
            .AcceptsMultipart(new FormField("file", "CSV lines date,base,quote,rate (a header line is optional).", Required: true, Binary: true)).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportExchangeRates.MaxBytes))
            .WithSummary("Load a rates file (admin): CSV lines date,base,quote,rate, or the ECB euro reference CSV (daily or history); all or nothing.");
        return app;
    }
}
