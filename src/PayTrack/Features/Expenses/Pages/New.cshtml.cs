using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Categories;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses.Pages;

/// <summary>Record an expense through <see cref="CreateExpense"/> (the caller's rules categorise and tag it).</summary>
public sealed class NewModel(PayTrackDb db, DomainEvents events, TimeProvider clock) : PageModel
{
    [BindProperty] public ExpenseForm Form { get; set; } = new();
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var me = User.UserId();
        Form.Currency = await db.Users.Where(u => u.Id == me).Select(u => u.DefaultCurrency).FirstAsync(ct);
        Form.Date = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await CreateExpense.Handle(Form.ToRequest(), User, db, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Form"))
        {
            await LoadAsync(ct);
            return Page();
        }
        var created = UseCaseResults.ValueOf<ExpenseResponse>(result.Result);
        TempData["Flash"] = $"Saved {Display.Amount(created.Amount, created.Currency)}{(created.Payee is null ? "" : " at " + created.Payee)}. Attach a receipt below if you have one.";
        return Redirect($"/expenses/{created.Id}");
    }

    private async Task LoadAsync(CancellationToken ct) => Categories = (await ListCategories.Handle(User, db, ct)).Value!;
}
