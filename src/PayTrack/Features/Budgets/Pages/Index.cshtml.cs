using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Features.Categories;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Budgets.Pages;

/// <summary>Budgets with this period's progress (<see cref="ListBudgets"/>); create, edit and delete through the API's handlers.</summary>
public sealed class IndexModel(PayTrackDb db, ExchangeRateCache rates, TimeProvider clock) : PageModel
{
    public IReadOnlyList<BudgetResponse> Budgets { get; private set; } = [];
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];
    [BindProperty] public BudgetForm Form { get; set; } = new();
    /// <summary>The budget being edited (null: the form creates one).</summary>
    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }

    public sealed class BudgetForm
    {
        public string? Name { get; set; }
        public Guid? CategoryId { get; set; }
        public string? Amount { get; set; }
        public string? Currency { get; set; }
        public string? Period { get; set; } = "monthly";
        public int? StartDay { get; set; } = 1;

        public BudgetRequest ToRequest() => new(Name, CategoryId, AmountInput.Normalize(Amount), Currency, Period, StartDay);
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Edit is { } id)
        {
            var b = Budgets.FirstOrDefault(x => x.Id == id);
            if (b is null) return NotFound();
            Form = new BudgetForm { Name = b.Name, CategoryId = b.CategoryId, Amount = AmountInput.Localize(b.Amount), Currency = b.Currency, Period = b.Period, StartDay = b.StartDay };
        }
        else
        {
            var me = User.UserId();
            Form.Currency = await db.Users.Where(u => u.Id == me).Select(u => u.DefaultCurrency).FirstAsync(ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        IResult result = Edit is { } id
            ? (await UpdateBudget.Handle(id, Form.ToRequest(), User, db, rates, clock, ct)).Result
            : (await CreateBudget.Handle(Form.ToRequest(), User, db, rates, clock, ct)).Result;
        if (result is ProblemHttpResult { StatusCode: 404 }) return NotFound();
        if (UseCaseErrors.AddTo(ModelState, result, "Form", labels: new Dictionary<string, string> { ["amount"] = "limit" }))
        {
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = Edit is null ? $"Budget “{Form.Name?.Trim()}” is set." : "The budget is saved.";
        return Redirect("/budgets");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await DeleteBudget.Handle(id, User, db, ct);
        TempData["Flash"] = "The budget is deleted.";
        return Redirect("/budgets");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Budgets = (await ListBudgets.Handle(User, db, rates, clock, ct)).Value!;
        Categories = (await ListCategories.Handle(User, db, ct)).Value!;
    }

    public string CategoryName(Guid? id) => id is null ? "All spending" : Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "—";
}
