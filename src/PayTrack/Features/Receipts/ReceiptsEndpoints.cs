using Microsoft.AspNetCore.Mvc;
using PayTrack.Infrastructure.Web;

using PayTrack.Infrastructure.Idempotency;

namespace PayTrack.Features.Receipts;

public static class ReceiptsEndpoints
{
    /// <summary>Receipt files attached to expenses; visible to the expense's owner only.</summary>
    public static IEndpointRouteBuilder MapReceipts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/expenses/{id:guid}/receipts", UploadReceipt.Handle).HonourIdempotencyKey()
            .WithTags("Receipts").RequireAuthorization()
            .AcceptsMultipart(new FormField("file", "The receipt: JPEG, PNG, WebP or PDF, at most 10 MiB; the type is read from the bytes, not the name.", Required: true, Binary: true))
            // Bearer-authenticated API: no cookies, so no antiforgery token. The body limit leaves room for the multipart framing.
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(UploadReceipt.MaxBytes + 1024 * 1024))
            .WithSummary("Attach a receipt (JPEG, PNG, WebP or PDF, at most 10 MiB) as multipart field 'file'.")
            .WithDescription("Too large: 413; another type of file, or a body that is not multipart/form-data: 415.");
        var group = app.MapGroup("/api/v1/receipts").WithTags("Receipts").RequireAuthorization();
        group.MapGet("/{id:guid}", DownloadReceipt.Handle).ProducesFile("The receipt file as uploaded.", "image/jpeg", "image/png", "image/webp", "application/pdf")
            .WithSummary("Download a receipt file (the expense's owner only).");
        group.MapDelete("/{id:guid}", DeleteReceipt.Handle).WithSummary("Delete a receipt.");
        return app;
    }
}
