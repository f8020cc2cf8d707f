using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Transfers.Pages;

/// <summary>Capture or void a pending hold (POST only), through <see cref="FinishHold.Handle"/>.</summary>
public sealed class FinishHoldModel(PayTrackDb db, TransferEngine engine) : PageModel
{
    public IActionResult OnGet() => Redirect("/wallets");

    public async Task<IActionResult> OnPostAsync(Guid id, string verb, CancellationToken ct)
    {
        if (verb is not ("capture" or "void")) return NotFound();
        var result = await FinishHold.Handle(id, verb, User, db, engine, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, ""))
            TempData["Flash"] = string.Join(" ", ModelState[""]!.Errors.Select(e => e.ErrorMessage));
        else
            TempData["Flash"] = verb == "capture" ? "The hold is captured: the money has moved." : "The hold is voided: the money is back in your wallet.";
        return Redirect("/wallets");
    }
}
