using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Accounts;
using PayTrack.Features.Transfers;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Dashboard.Pages;

/// <summary>The home page after sign-in: an overview built from the features' own queries.</summary>
public sealed class IndexModel(PayTrackDb db) : PageModel
{
    public string DisplayName { get; private set; } = "";
    public string DefaultCurrency { get; private set; } = "USD";
    public IReadOnlyList<AccountResponse> Wallets { get; private set; } = [];
    public IReadOnlyList<TransferResponse> Recent { get; private set; } = [];
    public HashSet<Guid> MyWallets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.UserId();
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.DisplayName, u.DefaultCurrency }).FirstAsync(ct);
        DisplayName = me.DisplayName;
        DefaultCurrency = me.DefaultCurrency;
        Wallets = (await AccountsEndpoints.List(User, db, ct)).Value!.Items;
        MyWallets = Wallets.Select(w => w.Id).ToHashSet();
        if ((await TransfersEndpoints.List(null, null, 6, null, User, db, ct)).Result is Ok<Page<TransferResponse>> recent) Recent = recent.Value!.Items;
    }

    public bool HasMoney => Wallets.Any(w => !Infrastructure.Web.Display.IsZero(w.Balance));
}
