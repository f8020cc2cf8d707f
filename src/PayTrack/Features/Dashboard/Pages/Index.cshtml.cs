using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Dashboard.Pages;

/// <summary>The home page after sign-in: an overview built from the features' own queries.</summary>
public sealed class IndexModel(PayTrackDb db) : PageModel
{
    public string DisplayName { get; private set; } = "";
    public string DefaultCurrency { get; private set; } = "USD";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.UserId();
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.DisplayName, u.DefaultCurrency }).FirstAsync(ct);
        DisplayName = me.DisplayName;
        DefaultCurrency = me.DefaultCurrency;
    }
}
