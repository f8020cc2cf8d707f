using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Accounts;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Transfers.Pages;

/// <summary>
/// Send money to an e-mail or to one's own wallet, in two steps: the form is checked by the
/// engine's own <see cref="TransferEngine.PrepareAsync"/> (nothing booked), the person confirms,
/// and <see cref="SendClaimedTransfer"/> books it with the form's one-time key as Idempotency-Key.
/// </summary>
public sealed class SendModel(PayTrackDb db, TransferEngine engine) : PageModel
{
    public IReadOnlyList<AccountResponse> Wallets { get; private set; } = [];
    public bool Confirming { get; private set; }
    [BindProperty] public SendInput Input { get; set; } = new();

    public sealed class SendInput
    {
        public Guid? FromAccountId { get; set; }
        /// <summary><c>email</c> or <c>own</c>.</summary>
        public string To { get; set; } = "email";
        public string? ToEmail { get; set; }
        public Guid? ToAccountId { get; set; }
        public string? Amount { get; set; }
        public string? Description { get; set; }
        public bool Hold { get; set; }
        public string? FormKey { get; set; }
    }

    private static readonly Dictionary<string, string> ToSomeone = new()
    {
        ["insufficient-funds"] = "amount", ["recipient-not-found"] = "toEmail", ["currency-mismatch"] = "toEmail",
    };

    /// <summary>Between one's own wallets the e-mail field is hidden: a currency mismatch belongs under "My wallet".</summary>
    private static readonly Dictionary<string, string> ToOwnWallet = new()
    {
        ["insufficient-funds"] = "amount", ["currency-mismatch"] = "toAccountId",
    };

    private Dictionary<string, string> ProblemFields => Input.To == "own" ? ToOwnWallet : ToSomeone;

    public AccountResponse? From => Wallets.FirstOrDefault(w => w.Id == Input.FromAccountId);
    public AccountResponse? ToOwn => Wallets.FirstOrDefault(w => w.Id == Input.ToAccountId);

    public async Task OnGetAsync(Guid? from, CancellationToken ct)
    {
        await LoadAsync(ct);
        Input.FromAccountId = from ?? (Wallets.Count > 0 ? Wallets[0].Id : null);
    }

    public async Task<IActionResult> OnPostReviewAsync(CancellationToken ct)
    {
        ModelState.Clear();
        await LoadAsync(ct);
        var command = Command();
        if (command is null) return Page();
        var (_, refused) = await engine.PrepareAsync(command, ct);
        if (refused is not null)
        {
            AddOutcome(refused);
            return Page();
        }
        Confirming = true;
        Input.FormKey = Guid.NewGuid().ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(CancellationToken ct)
    {
        ModelState.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        ModelState.Clear();
        await LoadAsync(ct);
        var command = Command();
        if (command is null) return Page();
        var request = new SendTransferRequest(command.FromAccountId, command.ToAccountId, command.ToEmail, command.Amount, command.Description, command.Hold ? true : null, null);
        var outcome = await IdempotentForm.RunAsync(HttpContext, User, Input.FormKey, "send", request,
            async () => (await SendClaimedTransfer.Handle(request, User, db, engine, ct)).Result);
        if (outcome.AlreadyDone)
        {
            TempData["Flash"] = "That transfer was already sent.";
            return Redirect($"/wallets/{Input.FromAccountId}");
        }
        if (UseCaseErrors.AddTo(ModelState, outcome.Result!, "Input", ProblemFields)) return Page();

        var sent = UseCaseResults.ValueOf<TransferResponse>(outcome.Result);
        var to = Input.To == "own" ? ToOwn?.Name : Input.ToEmail?.Trim();
        TempData["Flash"] = sent.Status == "pending"
            ? $"{Display.Amount(sent.Amount, sent.Currency)} is on hold for {to}. Capture it when you are ready."
            : $"Sent {Display.Amount(sent.Amount, sent.Currency)} to {to}.";
        return Redirect($"/wallets/{sent.FromAccountId}");
    }

    /// <summary>The engine's command from the form, or null (with errors) when the recipient choice is incomplete.</summary>
    private TransferCommand? Command()
    {
        // As every money form: "25,50" or "1.000" as the reader writes it. The confirm step carries the normalised value.
        Input.Amount = AmountInput.Normalize(Input.Amount);
        if (Input.To == "own")
        {
            if (Input.ToAccountId is null) ModelState.AddModelError("Input.ToAccountId", "Choose the wallet to move the money to.");
        }
        else if (string.IsNullOrWhiteSpace(Input.ToEmail)) ModelState.AddModelError("Input.ToEmail", "Enter the e-mail address of the person to pay.");
        if (!ModelState.IsValid) return null;
        return new TransferCommand(User.UserId(), Input.FromAccountId,
            Input.To == "own" ? Input.ToAccountId : null, Input.To == "own" ? null : Input.ToEmail!.Trim(),
            Input.Amount, Input.Description, Input.Hold, null);
    }

    private void AddOutcome(TransferOutcome outcome)
    {
        IResult result = outcome is TransferOutcome.Invalid invalid
            ? TypedResults.ValidationProblem(invalid.Errors)
            : TypedResults.Problem(outcome.ToProblem()!);
        UseCaseErrors.AddTo(ModelState, result, "Input", ProblemFields);
    }

    private async Task LoadAsync(CancellationToken ct) => Wallets = (await ListAccounts.Handle(User, db, ct)).Value!.Items;
}
