using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Groups.Pages;

/// <summary>
/// Where a <c>group.invite</c> notification in the app links to: what the invite is for, for the user it was sent
/// to (anyone else: 404). It has no join button: the token is only in the e-mailed link (ADR 0044).
/// </summary>
public sealed class ReceivedInviteModel(PayTrackDb db, TimeProvider clock) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    public ReceivedInviteResponse Invite { get; private set; } = null!;
    public bool Expired => Invite.ExpiresAt <= clock.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var invite = await GetInvite.FindReceivedAsync(db, Id, User.UserId(), ct);
        if (invite is null) return NotFound();
        Invite = invite;
        return Page();
    }
}
