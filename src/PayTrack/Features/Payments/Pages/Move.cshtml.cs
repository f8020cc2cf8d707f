using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Accounts;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Payments.Pages;

/// <summary>
/// Add money to a wallet or withdraw it, through the payment provider (the sandbox by default), with
/// the same handlers as <c>POST /deposits</c> and <c>POST /withdrawals</c> and a one-time form key as Idempotency-Key.
/// </summary>
public sealed class MoveModel(PayTrackDb db, PaymentService payments, IdempotencyStore idempotency) : PageModel
{
    public AccountResponse Wallet { get; private set; } = null!;
    public bool IsDeposit { get; private set; }
    [BindProperty] public MoveInput Input { get; set; } = new();

    public sealed class MoveInput
    {
        public string? Amount { get; set; }
        public string? PaymentMethod { get; set; } = "sandbox:success";
        public string? Destination { get; set; }
        public string? FormKey { get; set; }
    }

    public static readonly (string Value, string Label)[] SandboxMethods =
    [
        ("sandbox:success", "Test card — succeeds"),
        ("sandbox:decline", "Test card — declined"),
        ("sandbox:unavailable", "Provider unavailable — fails after PayTrack retries it"),
    ];

    public async Task<IActionResult> OnGetAsync(Guid id, string kind, CancellationToken ct)
    {
        if (!await LoadAsync(id, kind, ct)) return NotFound();
        Input.FormKey = Guid.NewGuid().ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string kind, CancellationToken ct)
    {
        if (!await LoadAsync(id, kind, ct)) return NotFound();
        ModelState.Clear();
        object request = IsDeposit
            ? new DepositRequest(id, AmountInput.Normalize(Input.Amount), Input.PaymentMethod)
            : new WithdrawalRequest(id, AmountInput.Normalize(Input.Amount), Input.Destination);
        var outcome = await IdempotentForm.RunAsync(HttpContext, User, Input.FormKey, kind, request, async () => IsDeposit
            ? (await RequestPayment.Deposit((DepositRequest)request, User, db, payments, idempotency, ct)).Result
            : (await RequestPayment.Withdrawal((WithdrawalRequest)request, User, db, payments, idempotency, ct)).Result,
            handlerOwnsTransaction: true);
        if (outcome.AlreadyDone)
        {
            TempData["Flash"] = "That was already sent; here is your wallet.";
            return Redirect($"/wallets/{id}");
        }
        if (outcome.Result is ProblemHttpResult { ProblemDetails.Type: "/problems/insufficient-funds" })
        {
            // The API says "less than 99999.00 EUR"; the form says what there is, the way every page shows money.
            ModelState.AddModelError("Input.Amount", $"That is more than {Wallet.Name} has available ({Display.Amount(Wallet.Available, Wallet.Currency)}).");
            Input.FormKey = Guid.NewGuid().ToString("N");
            return Page();
        }
        if (UseCaseErrors.AddTo(ModelState, outcome.Result!, "Input"))
        {
            // A refused request is settled for its key; the corrected form is a new request.
            Input.FormKey = Guid.NewGuid().ToString("N");
            return Page();
        }
        var created = UseCaseResults.ValueOf<PaymentResponse>(outcome.Result);
        return Redirect($"/payments/{(IsDeposit ? PaymentService.Deposit : PaymentService.Withdrawal)}/{created.Id}");
    }

    private async Task<bool> LoadAsync(Guid id, string kind, CancellationToken ct)
    {
        if (kind is not ("deposit" or "withdraw")) return false;
        IsDeposit = kind == "deposit";
        if ((await GetAccount.Handle(id, User, db, ct)).Result is not Ok<AccountResponse> ok) return false;
        Wallet = ok.Value!;
        return true;
    }
}
