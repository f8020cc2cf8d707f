using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Groups.Pages;

/// <summary>Add a group expense through <see cref="CreateGroupExpense"/>.</summary>
public sealed class NewExpenseModel(PayTrackDb db, ExchangeRateCache rates, DomainEvents events, TimeProvider clock) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public GroupExpenseForm Form { get; set; } = new();
    public GroupResponse Group { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Form = GroupExpenseForm.New(Group, User.UserId(), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (!await LoadAsync(ct)) return NotFound();
        var result = await CreateGroupExpense.Handle(Id, Form.ToRequest(), User, db, rates, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Form", new Dictionary<string, string> { ["missing-rate"] = "rate" },
                labels: GroupExpenseForm.Labels)) return Page();
        var created = ((Created<GroupExpenseResponse>)result.Result).Value!;
        TempData["Flash"] = $"Added {created.Description} ({Display.Amount(created.Amount, created.Currency)}).";
        return Redirect($"/groups/{Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if ((await GetGroup.Handle(Id, User, db, ct)).Result is not Ok<GroupResponse> g) return false;
        Group = g.Value!;
        return true;
    }
}
