using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Transfers;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Groups.Pages;

/// <summary>
/// One group: balances with settle-up, expenses, activity, invites and CSV export, all through the group use
/// cases. The part inside <c>data-live-events</c> is fetched again whenever the group's event stream says
/// something changed (wwwroot/js/groups.js), so the page stays current without a reload.
/// </summary>
public sealed class ShowModel(PayTrackDb db, DomainEvents events, IDataProtectionProvider protection, TimeProvider clock) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    public GroupResponse Group { get; private set; } = null!;
    public BalancesResponse Balances { get; private set; } = null!;
    public IReadOnlyList<GroupExpenseResponse> Expenses { get; private set; } = [];
    public bool MoreExpenses { get; private set; }
    public IReadOnlyList<ActivityResponse> Activity { get; private set; } = [];
    [BindProperty] public string? InviteEmail { get; set; }
    [BindProperty] public string? InviteRole { get; set; }
    public string? InviteUrl { get; private set; }
    public Guid Me => User.UserId();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        new HttpResultAction((await ExportGroupExpenses.Handle(Id, User, db, ct)).Result);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await CreateInvite.Handle(Id, new CreateInviteRequest(InviteEmail, string.IsNullOrEmpty(InviteRole) ? null : InviteRole), Request, User, db, events, protection, clock, ct);
        UseCaseErrors.AddTo(ModelState, result.Result, "Invite", new Dictionary<string, string> { ["already-a-member"] = "email" });
        if (result.Result is Created<InviteResponse> created) InviteUrl = created.Value!.Url;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSettleAsync(Guid toUserId, string amount, string method, string formKey, CancellationToken ct)
    {
        ModelState.Clear();
        var request = new CreateSettlementRequest(toUserId, amount, method, null);
        var engine = HttpContext.RequestServices.GetRequiredService<TransferEngine>();
        var outcome = await IdempotentForm.RunAsync(HttpContext, User, formKey, "settle", request,
            async () => (await CreateSettlement.Handle(Id, request, User, db, engine, events, clock, ct)).Result);
        if (outcome.Result is { } result && UseCaseErrors.AddTo(ModelState, result, "Settle"))
            return await LoadAsync(ct) ? Page() : NotFound();
        TempData["Flash"] = method == "wallet" ? "Paid from your wallet. The balances below are up to date." : "Cash payment recorded.";
        return Redirect($"/groups/{Id}");
    }

    public async Task<IActionResult> OnPostDeleteExpenseAsync(Guid expenseId, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await DeleteGroupExpense.Handle(Id, expenseId, User, db, events, HttpContext.RequestServices.GetRequiredService<PayTrack.Infrastructure.Blobs.IBlobStore>(), clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "")) return await LoadAsync(ct) ? Page() : NotFound();
        TempData["Flash"] = "Expense deleted.";
        return Redirect($"/groups/{Id}");
    }

    /// <summary>An owner removes a member, or a member leaves (<see cref="RemoveMember"/>: only with a zero balance).</summary>
    public async Task<IActionResult> OnPostRemoveMemberAsync(Guid userId, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await RemoveMember.Handle(Id, userId, User, db, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "")) return await LoadAsync(ct) ? Page() : NotFound();
        if (userId == Me)
        {
            TempData["Flash"] = $"You left {Group?.Name ?? "the group"}.";
            return Redirect("/groups");
        }
        TempData["Flash"] = "Member removed.";
        return Redirect($"/groups/{Id}");
    }

    /// <summary>An owner deletes a settled group (<see cref="DeleteGroup"/>).</summary>
    public async Task<IActionResult> OnPostDeleteGroupAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await DeleteGroup.Handle(Id, User, db, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "")) return await LoadAsync(ct) ? Page() : NotFound();
        TempData["Flash"] = "Group deleted.";
        return Redirect("/groups");
    }

    public string Name(Guid userId) => userId == Me ? "You" : Group.Members.FirstOrDefault(m => m.UserId == userId)?.DisplayName ?? "A former member";

    public static string NewFormKey() => Guid.NewGuid().ToString("N");

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if ((await GetGroup.Handle(Id, User, db, ct)).Result is not Ok<GroupResponse> group) return false;
        Group = group.Value!;
        Balances = ((Ok<BalancesResponse>)(await GetBalances.Handle(Id, User, db, ct)).Result).Value!;
        var expenses = ((Ok<Page<GroupExpenseResponse>>)(await ListGroupExpenses.Handle(Id, null, null, null, 50, null, User, db, ct)).Result).Value!;
        Expenses = expenses.Items;
        MoreExpenses = expenses.NextCursor is not null;
        Activity = ((Ok<Page<ActivityResponse>>)(await ListActivity.Handle(Id, 15, null, User, db, ct)).Result).Value!.Items;
        return true;
    }
}
