using Microsoft.AspNetCore.Mvc;

using PayTrack.Infrastructure.Idempotency;

namespace PayTrack.Features.Imports;

public static class ImportsEndpoints
{
    /// <summary>Bank-file import (CSV, OFX/QFX, QIF) into the caller's expenses, and its preview.</summary>
    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
        group.MapPost("/", ImportStatement.Handle).HonourIdempotencyKey()
            .Accepts<IFormFile>("multipart/form-data")
            // Bearer-authenticated API: no cookies, so no antiforgery token.
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportStatement.MaxBytes))
            .WithSummary("Import a statement (multipart 'file'; optional 'format', 'mapping' JSON for CSV, 'skipInvalid', 'currency'). One transaction.");
        group.MapPost("/preview", PreviewStatement.Handle)
            .Accepts<IFormFile>("multipart/form-data")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportStatement.MaxBytes))
            .WithSummary("Preview a statement import: detected format, encoding, CSV layout, guessed mapping and the first rows parsed. Changes nothing.")
            .Produces<PreviewResult>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }
}
