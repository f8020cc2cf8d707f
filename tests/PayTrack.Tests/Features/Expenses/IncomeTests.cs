using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;
using Shouldly;

namespace PayTrack.Tests.Features.Expenses;

public sealed class IncomeTests : ApiTest
{
    [Fact]
    public async Task Income_IsStoredFilteredAndExported_ButNeverCountsAsSpending()
    {
        var me = await App.RegisterAndSignInAsync(currency: "EUR");
        var salary = await me.Client.CreateExpenseAsync(new { amount = "2500.00", date = "2026-03-01", payee = "Employer", kind = "income" });
        salary.Kind.ShouldBe("income");
        var bread = await me.Client.CreateExpenseAsync(new { amount = "3.20", date = "2026-03-02", payee = "Bakery" });
        bread.Kind.ShouldBe("expense");

        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?kind=income"))!.Items.Select(e => e.Id).ShouldBe([salary.Id]);
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?kind=expense"))!.Items.Select(e => e.Id).ShouldBe([bread.Id]);
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items.Count.ShouldBe(2);

        var report = (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-03-01&to=2026-03-31"))!;
        report.Total.ShouldBe("3.20");
        report.Count.ShouldBe(1);
        await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "All", amount = "100", period = "monthly" });
        var budgets = (await me.Client.GetFromJsonAsync<List<BudgetDto>>("/api/v1/budgets"))!;
        budgets.Single().PeriodStart.ShouldNotBeNull();

        var csv = await me.Client.GetStringAsync("/api/v1/expenses/export?kind=income");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines[1].TrimEnd('\r').ShouldEndWith(",income");

        // PUT replaces the kind like every other field.
        var put = await me.Client.PutAsJsonAsync($"/api/v1/expenses/{salary.Id}", new { amount = "2500.00", date = "2026-03-01", payee = "Employer" });
        await put.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await put.Content.ReadFromJsonAsync<ExpenseDto>())!.Kind.ShouldBe("expense");
    }

    [Fact]
    public async Task Create_WithUnknownKind_Returns400AndStoresNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/expenses", new { amount = "5", date = "2026-03-05", kind = "refund" });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("kind");
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items.ShouldBeEmpty();
        await (await me.Client.GetAsync("/api/v1/expenses?kind=refund")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
