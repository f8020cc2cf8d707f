using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Receipts.Pages;

/// <summary>A receipt's bytes for the signed-in owner, streamed by <see cref="DownloadReceipt"/> (others get 404).</summary>
public sealed class ViewModel(PayTrackDb db, IBlobStore blobs) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var result = await DownloadReceipt.Handle(id, User, db, blobs, ct);
        return result.Result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ? NotFound() : new HttpResultAction(result.Result);
    }
}
