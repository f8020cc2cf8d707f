using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Groups.Pages;

/// <summary>Change a group expense through <see cref="UpdateGroupExpense"/> (a stale version is refused: someone else changed it).</summary>
public sealed class EditExpenseModel(PayTrackDb db, ExchangeRateCache rates, DomainEvents events, TimeProvider clock) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [FromRoute] public Guid ExpenseId { get; set; }
    [BindProperty] public GroupExpenseForm Form { get; set; } = new();
    public GroupResponse Group { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if ((await GetGroupExpense.Handle(Id, ExpenseId, User, db, ct)).Result is not Ok<GroupExpenseResponse> e) return NotFound();
        Form = GroupExpenseForm.From(e.Value!, Group);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (!await LoadAsync(ct)) return NotFound();
        var result = await UpdateGroupExpense.Handle(Id, ExpenseId, Form.ToRequest(), User, db, rates, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Form", new Dictionary<string, string> { ["missing-rate"] = "rate" },
                labels: GroupExpenseForm.Labels)) return Page();
        TempData["Flash"] = "Expense saved.";
        return Redirect($"/groups/{Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if ((await GetGroup.Handle(Id, User, db, ct)).Result is not Ok<GroupResponse> g) return false;
        Group = g.Value!;
        return true;
    }
}
