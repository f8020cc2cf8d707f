using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;

namespace PayTrack.Features.Notifications.Pages;

/// <summary>
/// The unsubscribe link of an e-mail: works without signing in, because the link is signed
/// (<see cref="UnsubscribeLinks"/>). GET asks (mail scanners fetch links; they must not unsubscribe
/// anyone), POST turns the kind off for e-mail — also the RFC 8058 one-click POST a mail client sends
/// without cookies, hence no antiforgery token: the signature is the proof.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class UnsubscribeModel(PayTrackDb db, UnsubscribeLinks links, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "u")] public Guid UserId { get; set; }
    [BindProperty(SupportsGet = true, Name = "k")] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "s")] public string? Signature { get; set; }
    public bool Done { get; private set; }
    public string Label => NotificationKinds.Label(Kind ?? "");

    private bool Valid => NotificationKinds.IsKnown(Kind) && Kind != NotificationKinds.Security && links.Verify(UserId, Kind!, Signature);

    public IActionResult OnGet() => Valid ? Page() : BadLink();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Valid) return BadLink();
        await UpdateNotificationPreferences.UnsubscribeAsync(db, UserId, Kind!, clock, ct);
        Done = true;
        return Page();
    }

    private IActionResult BadLink()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Done = false;
        Kind = null;
        return Page();
    }
}
