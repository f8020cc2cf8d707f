using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Accounts;

namespace PayTrack.Features.Payments.Pages;

/// <summary>A deposit's or withdrawal's status (<c>GET /deposits/{id}</c>); refreshes itself while pending.</summary>
public sealed class StatusModel(PayTrackDb db) : PageModel
{
    public PaymentResponse Payment { get; private set; } = null!;
    public string Kind { get; private set; } = "";
    public string WalletName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string kind, Guid id, CancellationToken ct)
    {
        if (kind is not (PaymentService.Deposit or PaymentService.Withdrawal)) return NotFound();
        if ((await GetPayment.Handle(id, kind, User, db, ct)).Result is not Ok<PaymentResponse> ok) return NotFound();
        Payment = ok.Value!;
        Kind = kind;
        if ((await GetAccount.Handle(Payment.AccountId, User, db, ct)).Result is Ok<AccountResponse> w) WalletName = w.Value!.Name;
        return Page();
    }
}
