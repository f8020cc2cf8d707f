using Microsoft.AspNetCore.Mvc;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Imports;

public static class ImportsEndpoints
{
    /// <summary>Bank-file import (CSV, OFX/QFX, QIF) into the caller's expenses, and its preview.</summary>
    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
        group.MapPost("/", ImportStatement.Handle).HonourIdempotencyKey()
            .AcceptsMultipart(
                new FormField("file", "The bank file: CSV, OFX/QFX or QIF.", Required: true, Binary: true),
                new FormField("format", "The file's format; detected from the content and name when absent.", Enum: ["csv", "ofx", "qfx", "qif"]),
                new FormField("mapping", "For CSV: JSON naming the columns and the layout, e.g. { date, amount (or debit and credit), payee?, description?, category?, currency?, dateFormat?, decimalSeparator?, headerLine?, encoding?, delimiter?, sign? }; absent: guessed as the preview shows.",
                    Example: """{"date":"Date","amount":"Amount","payee":"Payee"}"""),
                new FormField("skipInvalid", "true: import the good rows of a file with bad rows; otherwise such a file imports nothing.", Enum: ["true", "false"]),
                new FormField("currency", "ISO 4217 code of the amounts when the file does not say; default: your default currency."))
            // Bearer-authenticated API: no cookies, so no antiforgery token.
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportStatement.MaxBytes))
            .WithSummary("Import a bank statement (CSV, OFX/QFX or QIF) into your expenses, in one transaction.")
            .WithDescription("Bad rows are listed with their line; unless skipInvalid=true a file with any bad row imports nothing. Rows already imported are counted as duplicates, so importing a file twice imports nothing new.");
        group.MapPost("/preview", PreviewStatement.Handle)
            .AcceptsMultipart(
                new FormField("file", "The bank file: CSV, OFX/QFX or QIF.", Required: true, Binary: true),
                new FormField("format", "The file's format; detected from the content and name when absent.", Enum: ["csv", "ofx", "qfx", "qif"]),
                new FormField("mapping", "For CSV: JSON naming the columns, as for POST /imports; absent: guessed.", Example: """{"date":"Date","amount":"Amount","payee":"Payee"}"""),
                new FormField("currency", "ISO 4217 code of the amounts when the file does not say; default: your default currency."))
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportStatement.MaxBytes))
            .WithSummary("Preview a statement import: detected format, encoding, CSV layout, guessed mapping and the first rows parsed. Changes nothing.")
            .Produces<PreviewResult>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }
}
