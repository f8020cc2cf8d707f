using Microsoft.AspNetCore.Mvc;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Imports;

public static class ImportsEndpoints
{
    private const string EncodingText =
        "For every format, { \"encoding\": \"…\" } alone names the file's text encoding: any encoding .NET decodes, by its usual name or an alias "
        + "(windows-1250, cp1250, iso-8859-2, latin2, iso-8859-15, windows-1251, koi8-r, cp850, shift_jis, gb18030, gbk, big5, euc-kr…); an unknown name is a 400. "
        + "Absent: a BOM, then (OFX) the file's CHARSET/ENCODING or XML declaration, then UTF-8 when valid, else Windows-1252.";

    /// <summary>Bank-file import (CSV, OFX/QFX, QIF) into the caller's expenses, and its preview.</summary>
    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
        group.MapPost("/", ImportStatement.Handle).HonourIdempotencyKey()
            .AcceptsMultipart(
                new FormField("file", "The bank file: CSV, OFX/QFX or QIF.", Required: true, Binary: true),
                new FormField("format", "The file's format; detected from the content and name when absent.", Enum: ["csv", "ofx", "qfx", "qif"]),
                new FormField("mapping", "For CSV: JSON naming the columns and the layout, e.g. { date, amount (or debit and credit), payee?, description?, category?, currency?, dateFormat?, decimalSeparator?, headerLine?, encoding?, delimiter?, sign? }; absent: guessed as the preview shows. "
                    + EncodingText,
                    Example: """{"date":"Date","amount":"Amount","payee":"Payee"}"""),
                new FormField("skipInvalid", "true: import the good rows of a file with bad rows; otherwise such a file imports nothing.", Enum: ["true", "false"]),
                new FormField("currency", "ISO 4217 code of the amounts when the file does not say; default: your default currency."))
            // Bearer-authenticated API: no cookies, so no antiforgery token.
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportStatement.MaxBytes))
            .WithSummary("Import a bank statement (CSV, OFX/QFX or QIF) into your expenses, in one transaction.")
            .WithDescription("Bad rows are listed with their line; unless skipInvalid=true a file with any bad row imports nothing. Rows already imported are counted as duplicates, so importing a file twice imports nothing new. A warning with line 0 is about the whole file (its text encoding).");
        group.MapPost("/preview", PreviewStatement.Handle)
            .AcceptsMultipart(
                new FormField("file", "The bank file: CSV, OFX/QFX or QIF.", Required: true, Binary: true),
                new FormField("format", "The file's format; detected from the content and name when absent.", Enum: ["csv", "ofx", "qfx", "qif"]),
                new FormField("mapping", "For CSV: JSON naming the columns, as for POST /imports; absent: guessed. " + EncodingText, Example: """{"date":"Date","amount":"Amount","payee":"Payee"}"""),
                new FormField("currency", "ISO 4217 code of the amounts when the file does not say; default: your default currency."))
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportStatement.MaxBytes))
            .WithSummary("Preview a statement import: detected format, encoding, CSV layout, guessed mapping and the first rows parsed. Changes nothing.")
            .WithDescription("encoding is the one the file was read with. A warning with line 0 is about the whole file: a file read as Windows-1252 by default that looks Central European or Cyrillic is told which encoding to choose.")
            .Produces<PreviewResult>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }
}
