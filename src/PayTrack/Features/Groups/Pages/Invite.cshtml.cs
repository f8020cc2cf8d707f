using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Groups.Pages;

/// <summary>
/// An invite link's landing page: what the invite is for, then sign in or register (coming back here), then
/// join through <see cref="AcceptInvite"/>. Open to anyone holding the link.
/// </summary>
[AllowAnonymous]
public sealed class InviteModel(PayTrackDb db, DomainEvents events, TimeProvider clock) : PageModel
{
    [FromRoute] public string Token { get; set; } = "";
    public InviteInfoResponse? Info { get; private set; }
    public bool SignedIn => User.Identity?.IsAuthenticated == true;
    public string ReturnUrl => $"/invites/{Uri.EscapeDataString(Token)}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Info = await GetInvite.FindAsync(db, Token, ct);
        return Info is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!SignedIn) return Redirect($"/sign-in?returnUrl={Uri.EscapeDataString(ReturnUrl)}");
        ModelState.Clear();
        var result = await AcceptInvite.Handle(Token, User, db, events, clock, ct);
        if (result.Result is Ok<GroupResponse> joined)
        {
            TempData["Flash"] = $"Welcome to {joined.Value!.Name}.";
            return Redirect($"/groups/{joined.Value.Id}");
        }
        UseCaseErrors.AddTo(ModelState, result.Result, "");
        Info = await GetInvite.FindAsync(db, Token, ct);
        return Info is null ? NotFound() : Page();
    }
}
