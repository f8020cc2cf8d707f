using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Domain.Ledger;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Features.Transfers;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace PayTrack.Features.Accounts.Pages;

/// <summary>The caller's wallets, pending holds, and opening a new wallet — through <see cref="AccountsEndpoints"/> and <see cref="TransfersEndpoints"/>.</summary>
public sealed class IndexModel(PayTrackDb db, DomainEvents events, TimeProvider clock) : PageModel
{
    public IReadOnlyList<AccountResponse> Wallets { get; private set; } = [];
    public IReadOnlyList<TransferResponse> Holds { get; private set; } = [];
    public string DefaultCurrency { get; private set; } = "USD";
    [BindProperty] public NewWalletInput NewWallet { get; set; } = new();

    public sealed class NewWalletInput
    {
        public string? Name { get; set; }
        public string? Currency { get; set; }
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        NewWallet.Currency = DefaultCurrency;
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await OpenAccount.Handle(new CreateAccountRequest(NewWallet.Name, NewWallet.Currency), User, db, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "NewWallet", new Dictionary<string, string> { ["account-name-taken"] = "name" }))
        {
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = $"Wallet “{NewWallet.Name?.Trim()}” is open.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Wallets = (await ListAccounts.Handle(User, db, ct)).Value!.Items;
        var pending = await ListTransfers.Handle(null, TransferStatus.Pending, 50, null, User, db, ct);
        if (pending.Result is Ok<Page<TransferResponse>> ok) Holds = ok.Value!.Items;
        var me = User.UserId();
        Names = await Counterparties.ForAccountsAsync(db, me, Holds.SelectMany(h => new[] { h.FromAccountId, h.ToAccountId }).ToList(), ct);
        DefaultCurrency = await db.Users.Where(u => u.Id == me).Select(u => u.DefaultCurrency).FirstAsync(ct);
    }

    public bool IsMine(Guid accountId) => Wallets.Any(w => w.Id == accountId);
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();
    public string WalletName(Guid accountId) => Wallets.FirstOrDefault(w => w.Id == accountId)?.Name ?? Names.GetValueOrDefault(accountId) ?? "another person";
}
