using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Budgets;

public sealed class BudgetsTests : ApiTest
{
    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    [Fact]
    public async Task Create_AnswersCurrentPeriodStatus_ForCategoryWithChildren()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var groceries = await me.Client.CreateCategoryAsync("Groceries", food.Id);
        var today = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime);
        await me.Client.CreateExpenseAsync(new { amount = "30.00", date = today.ToString("yyyy-MM-dd"), categoryId = food.Id });
        await me.Client.CreateExpenseAsync(new { amount = "45.50", date = today.ToString("yyyy-MM-dd"), categoryId = groceries.Id });
        await me.Client.CreateExpenseAsync(new { amount = "99.00", date = today.ToString("yyyy-MM-dd") });
        await me.Client.CreateExpenseAsync(new { amount = "99.00", date = today.AddMonths(-2).ToString("yyyy-MM-dd"), categoryId = food.Id });

        var res = await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "Food", categoryId = food.Id, amount = "150", period = "monthly", startDay = 1 });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var budget = (await res.Content.ReadFromJsonAsync<BudgetDto>())!;
        budget.PeriodStart.ShouldBe(new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd"));
        budget.Amount.ShouldBe("150.00");
        budget.Spent.ShouldBe("75.50");
        budget.Remaining.ShouldBe("74.50");
        budget.PercentUsed.ShouldBe(50.3m);

        var overall = (await (await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "All", amount = "100", period = "weekly" })).Content.ReadFromJsonAsync<BudgetDto>())!;
        overall.Spent.ShouldBe("174.50");
        overall.Remaining.ShouldBe("-74.50");
        DateOnly.Parse(overall.PeriodStart, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek.ShouldBe(DayOfWeek.Monday);

        var list = (await me.Client.GetFromJsonAsync<List<BudgetDto>>("/api/v1/budgets"))!;
        list.Select(b => b.Name).ShouldBe(["All", "Food"]);
    }

    [Fact]
    public async Task Budget_ConvertsOtherCurrencies_AndListsMissingRates()
    {
        var admin = await App.RegisterAndSignInAsync();
        var today = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        await admin.Client.SetRatesAsync(("2000-01-01", "EUR", "USD", "2"));
        await admin.Client.CreateExpenseAsync(new { amount = "10.00", currency = "EUR", date = today });
        await admin.Client.CreateExpenseAsync(new { amount = "5.00", date = today });
        await admin.Client.CreateExpenseAsync(new { amount = "100", currency = "JPY", date = today });
        var budget = (await (await admin.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "All", amount = "100.00", currency = "USD", period = "monthly" })).Content.ReadFromJsonAsync<BudgetDto>())!;
        budget.Spent.ShouldBe("25.00");
        budget.MissingRates.Single().Currency.ShouldBe("JPY");
    }

    [Fact]
    public async Task Create_WhenInvalid_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "", amount = "1.001", period = "monthly", startDay = 29, categoryId = Guid.NewGuid() });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["name", "amount", "startDay", "categoryId"], ignoreOrder: true);
        res = await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "x", amount = "1", period = "yearly" });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["period"]);
    }

    [Fact]
    public async Task Update_AndDelete_AndAnotherUsersBudget_Answers404()
    {
        var owner = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var budget = (await (await owner.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "B", amount = "10", period = "monthly" })).Content.ReadFromJsonAsync<BudgetDto>())!;
        await (await other.Client.GetAsync($"/api/v1/budgets/{budget.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PutAsJsonAsync($"/api/v1/budgets/{budget.Id}", new { name = "x", amount = "1", period = "weekly" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/budgets/{budget.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await other.Client.GetFromJsonAsync<List<BudgetDto>>("/api/v1/budgets"))!.ShouldBeEmpty();

        var res = await owner.Client.PutAsJsonAsync($"/api/v1/budgets/{budget.Id}", new { name = "Payday", amount = "2000", period = "monthly", startDay = 25 });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var updated = (await res.Content.ReadFromJsonAsync<BudgetDto>())!;
        updated.StartDay.ShouldBe(25);
        updated.PeriodStart.ShouldEndWith("-25");
        await (await owner.Client.DeleteAsync($"/api/v1/budgets/{budget.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await owner.Client.GetAsync($"/api/v1/budgets/{budget.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
