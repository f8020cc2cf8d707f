using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Receipts;

public static class DownloadReceipt
{
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, PayTrackDb db, IBlobStore blobs, CancellationToken ct)
    {
        var userId = principal.UserId();
        var receipt = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.UserId == userId, ct);
        if (receipt is null) return ProblemSetup.NotFound("The receipt");
        var stream = blobs.OpenRead(receipt.Sha256);
        if (stream is null) throw new InvalidOperationException($"Receipt {receipt.Id} has no blob {receipt.Sha256}.");
        return TypedResults.Stream(stream, receipt.ContentType, receipt.FileName, enableRangeProcessing: true);
    }
}
