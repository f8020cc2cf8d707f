using Microsoft.AspNetCore.Mvc;

using PayTrack.Infrastructure.Idempotency;

namespace PayTrack.Features.Imports;

public static class ImportsEndpoints
{
    /// <summary>Bank-file import (CSV, OFX/QFX, QIF) into the caller's expenses.</summary>
    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization();
        group.MapPost("/", ImportStatement.Handle).HonourIdempotencyKey()
            .Accepts<IFormFile>("multipart/form-data")
            // Bearer-authenticated API: no cookies, so no antiforgery token.
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportStatement.MaxBytes))
            .WithSummary("Import a statement (multipart 'file'; optional 'format', 'mapping' JSON for CSV, 'skipInvalid', 'currency'). One transaction.");
        return app;
    }
}
