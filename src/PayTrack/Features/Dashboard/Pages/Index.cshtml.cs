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
    /// <summary>Money in, out and net this month (income counts here, never as spending).</summary>
    public CashFlowReport? MonthFlow { get; private set; }
    /// <summary>The other side of each recent transfer, named as the viewer may see it.</summary>
    public IReadOnlyDictionary<Guid, string> Counterparty { get; private set; } = new Dictionary<Guid, string>();
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.UserId();
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.DisplayName, u.DefaultCurrency }).FirstAsync(ct);
        DisplayName = me.DisplayName;
        DefaultCurrency = me.DefaultCurrency;
        Wallets = (await ListAccounts.Handle(User, db, ct)).Value!.Items;
        MyWallets = Wallets.Select(w => w.Id).ToHashSet();
        if ((await ListTransfers.Handle(null, null, 6, null, User, db, ct)).Result is Ok<Page<TransferResponse>> recent) Recent = recent.Value!.Items;
        Counterparty = await Counterparties.ForTransfersAsync(db, id, Recent.Select(t => t.Id).ToList(), null, ct);

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
        if ((await GetCashFlow.Handle(monthStart, today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "month", null, User, db, rates, clock, ct)).Result
            is Ok<CashFlowReport> flow)
            MonthFlow = flow.Value!;
    }

    public string CategoryName(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "Uncategorized";

    /// <summary>How a transfer reads from the viewer's side: only a completed incoming transfer is money received.</summary>
    public (string Label, string Sign, string Css) Describe(TransferResponse t)
    {
        var incoming = MyWallets.Contains(t.ToAccountId) && !MyWallets.Contains(t.FromAccountId);
        var own = MyWallets.Contains(t.ToAccountId) && MyWallets.Contains(t.FromAccountId);
        if (own) return ("Between your wallets", "", "");
        return (t.Status, incoming) switch
        {
            ("success", true) => ("Received", "+", "in"),
            ("success", false) => ("Sent", "−", "out"),
            ("pending", true) => ("On hold for you — not received yet", "", "pending"),
            ("pending", false) => ("On hold — not sent yet", "", "pending"),
            ("failed", true) => ("Not received (failed)", "", "void"),
            ("failed", false) => ("Not sent (failed)", "", "void"),
            (_, true) => ($"Not received ({t.Status})", "", "void"),
            _ => ($"Not sent ({t.Status})", "", "void"),
        };
    }

    public bool HasMoney => Wallets.Any(w => !Infrastructure.Web.Display.IsZero(w.Balance));
}
