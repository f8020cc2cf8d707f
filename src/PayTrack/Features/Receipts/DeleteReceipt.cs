using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Receipts;

public static class DeleteReceipt
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, PayTrackDb db, IBlobStore blobs, CancellationToken ct)
    {
        var userId = principal.UserId();
        var receipt = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.UserId == userId, ct);
        if (receipt is null) return ProblemSetup.NotFound("The receipt");
        await db.Receipts.Where(r => r.Id == id && r.UserId == userId).ExecuteDeleteAsync(ct);
        await ReceiptBlobs.DeleteIfUnusedAsync(db, blobs, receipt.Sha256, ct);
        return TypedResults.NoContent();
    }
}
