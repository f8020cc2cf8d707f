using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Features.Accounts;
using PayTrack.Features.Budgets;
using PayTrack.Features.Categories;
using PayTrack.Features.Expenses;
using PayTrack.Features.Reports;
using PayTrack.Features.Reports.Pages;
using PayTrack.Features.Transfers;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Dashboard.Pages;

/// <summary>The home page after sign-in: an overview built from the features' own queries.</summary>
public sealed class IndexModel(PayTrackDb db, ExchangeRateCache rates, TimeProvider clock) : PageModel
{
    public string DisplayName { get; private set; } = "";
    public string DefaultCurrency { get; private set; } = "USD";
    public IReadOnlyList<AccountResponse> Wallets { get; private set; } = [];
    public IReadOnlyList<TransferResponse> Recent { get; private set; } = [];
    public HashSet<Guid> MyWallets { get; private set; } = [];
    public IReadOnlyList<BudgetResponse> Budgets { get; private set; } = [];
    public IReadOnlyList<ExpenseResponse> RecentExpenses { get; private set; } = [];
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];
    public SpendingReport? ThisMonth { get; private set; }
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.UserId();
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.DisplayName, u.DefaultCurrency }).FirstAsync(ct);
        DisplayName = me.DisplayName;
        DefaultCurrency = me.DefaultCurrency;
        Wallets = (await AccountsEndpoints.List(User, db, ct)).Value!.Items;
        MyWallets = Wallets.Select(w => w.Id).ToHashSet();
        if ((await TransfersEndpoints.List(null, null, 6, null, User, db, ct)).Result is Ok<Page<TransferResponse>> recent) Recent = recent.Value!.Items;

        Budgets = (await ListBudgets.Handle(User, db, rates, clock, ct)).Value!;
        Categories = (await ListCategories.Handle(User, db, ct)).Value!;
        if ((await ListExpenses.Handle(null, null, null, null, null, null, null, 5, null, User, db, ct)).Result is Ok<Page<ExpenseResponse>> expenses)
            RecentExpenses = expenses.Value!.Items;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var monthStart = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if ((await GetSpendingReport.Handle(monthStart, today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "category", null, User, db, rates, clock, ct)).Result
            is Ok<SpendingReport> report)
        {
            ThisMonth = report.Value!;
            ChartJson = ChartData.Json(ThisMonth, "doughnut", Categories.ToDictionary(c => c.Id.ToString(), c => c.Color));
        }
    }

    public string CategoryName(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "Uncategorized";

    public bool HasMoney => Wallets.Any(w => !Infrastructure.Web.Display.IsZero(w.Balance));
}
