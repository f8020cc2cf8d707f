using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Auth.Pages;

/// <summary>Ends the web session: the <c>sessions</c> row is revoked (as the API's logout does) and the cookie removed.</summary>
[AllowAnonymous]
public sealed class SignOutModel(PayTrackDb db, SessionCache cache, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : Redirect("/sign-in");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
            await Logout.RevokeAsync(db, cache, User.UserId(), [User.SessionId()], clock.GetUtcNow().UtcDateTime, ct);
        await HttpContext.SignOutAsync(WebSessionCookie.SchemeName);
        TempData["Flash"] = "You are signed out. See you soon.";
        return Redirect("/sign-in");
    }
}
