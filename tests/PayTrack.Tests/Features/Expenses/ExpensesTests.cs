using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Expenses;

public sealed class ExpensesTests : ApiTest
{
    [Fact]
    public async Task Create_ThenGet_AnswersTheExpenseWithExactAmount()
    {
        var me = await App.RegisterAndSignInAsync(currency: "EUR");
        var food = await me.Client.CategoryAsync("Food");
        var account = (await PayTrackApp.MainWalletAsync(me)).Id;
        var res = await me.Client.PostAsJsonAsync("/api/v1/expenses", new
        {
            amount = 12.5m, date = "2026-03-05", categoryId = food.Id, payee = " Bakery ", description = "bread",
            tags = new[] { "Weekend", "weekend", "treats" }, accountId = account,
        });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var created = (await res.Content.ReadFromJsonAsync<ExpenseDto>())!;
        res.Headers.Location!.ToString().ShouldBe($"/api/v1/expenses/{created.Id}");
        created.Amount.ShouldBe("12.50");
        created.Currency.ShouldBe("EUR");
        created.Payee.ShouldBe("Bakery");
        created.Tags.ShouldBe(["treats", "weekend"]);
        created.AccountId.ShouldBe(account);
        created.Receipts.ShouldBeEmpty();

        var read = (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{created.Id}"))!;
        read.ShouldBeEquivalentTo(created);
    }

    [Fact]
    public async Task Create_WithAnotherUsersWallet_Returns400AndStoresNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var theirs = await PayTrackApp.MainWalletAsync(other);
        var res = await me.Client.PostAsJsonAsync("/api/v1/expenses", new { amount = "5", date = "2026-03-05", accountId = theirs.Id });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("accountId");
        var res2 = await me.Client.PostAsJsonAsync("/api/v1/expenses", new { amount = "5", date = "2026-03-05", accountId = Guid.NewGuid() });
        await res2.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await using var db = App.Database.OpenContext();
        db.Expenses.Count().ShouldBe(0);
    }

    [Theory]
    [InlineData("12.345", "USD")]
    [InlineData("12.5", "JPY")]
    [InlineData("1.2345", "BHD")]
    [InlineData("0", "USD")]
    [InlineData("-3.00", "USD")]
    [InlineData("abc", "USD")]
    public async Task Create_WhenAmountInvalidForCurrency_Returns400(string amount, string currency)
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/expenses", new { amount, currency, date = "2026-03-05" });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["amount"]);
    }

    [Fact]
    public async Task Create_AcceptsEachCurrencysDigits()
    {
        var me = await App.RegisterAndSignInAsync();
        (await me.Client.CreateExpenseAsync(new { amount = "1200", currency = "JPY", date = "2026-03-05" })).Amount.ShouldBe("1200");
        (await me.Client.CreateExpenseAsync(new { amount = "1.234", currency = "BHD", date = "2026-03-05" })).Amount.ShouldBe("1.234");
        (await me.Client.CreateExpenseAsync(new { amount = 0.1, currency = "USD", date = "2026-03-05" })).Amount.ShouldBe("0.10");
    }

    [Fact]
    public async Task Create_WhenFieldsInvalid_Returns400WithEachField()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/expenses", new { amount = "1", currency = "XXX", date = "05/03/2026", tags = new[] { " " }, payee = new string('p', 201) });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["currency", "date", "tags", "payee"], ignoreOrder: true);
    }

    [Fact]
    public async Task Update_ReplacesFields_AndDelete_Removes()
    {
        var me = await App.RegisterAndSignInAsync();
        var e = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05", payee = "A", tags = new[] { "x" } });
        var res = await me.Client.PutAsJsonAsync($"/api/v1/expenses/{e.Id}", new { amount = "1500", currency = "JPY", date = "2026-03-06", payee = "B", tags = new[] { "y" } });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var updated = (await res.Content.ReadFromJsonAsync<ExpenseDto>())!;
        updated.Amount.ShouldBe("1500");
        updated.Currency.ShouldBe("JPY");
        updated.Date.ShouldBe("2026-03-06");
        updated.Tags.ShouldBe(["y"]);
        updated.CreatedAt.ShouldBe(e.CreatedAt);

        await (await me.Client.DeleteAsync($"/api/v1/expenses/{e.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await me.Client.GetAsync($"/api/v1/expenses/{e.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await me.Client.DeleteAsync($"/api/v1/expenses/{e.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherUsersExpense_Answers404_ForEveryVerb()
    {
        var owner = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var e = await owner.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        await (await other.Client.GetAsync($"/api/v1/expenses/{e.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PutAsJsonAsync($"/api/v1/expenses/{e.Id}", new { amount = "1.00", date = "2026-03-05" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/expenses/{e.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await other.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items.ShouldBeEmpty();
        (await owner.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{e.Id}"))!.Amount.ShouldBe("10.00");
    }

    [Fact]
    public async Task Expenses_WithoutToken_Return401()
    {
        await (await App.Anonymous().GetAsync("/api/v1/expenses")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await App.Anonymous().PostAsJsonAsync("/api/v1/expenses", new { amount = "1", date = "2026-01-01" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task List_PagesNewestDateFirst_WithoutGapsOrRepeats_WhenManyShareADate()
    {
        var me = await App.RegisterAndSignInAsync();
        var created = new List<ExpenseDto>();
        for (var i = 0; i < 23; i++)
            created.Add(await me.Client.CreateExpenseAsync(new { amount = $"{i + 1}.00", date = $"2026-03-{1 + i % 4:00}" }));

        var seen = new List<ExpenseDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>($"/api/v1/expenses?limit=5{(cursor is null ? "" : "&cursor=" + cursor)}"))!;
            page.Items.Count.ShouldBeLessThanOrEqualTo(5);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);
        pages.ShouldBe(5);
        seen.Select(e => e.Id).ShouldBe(created.OrderByDescending(e => e.Date).ThenByDescending(e => e.Id).Select(e => e.Id));
    }

    [Fact]
    public async Task List_WhenPagingArgumentsInvalid_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        (await (await me.Client.GetAsync("/api/v1/expenses?limit=201")).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["limit"]);
        (await (await me.Client.GetAsync("/api/v1/expenses?cursor=nonsense")).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["cursor"]);
        (await (await me.Client.GetAsync("/api/v1/expenses?from=2026-13-01&minAmount=x")).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["from", "minAmount"], ignoreOrder: true);
    }

    [Fact]
    public async Task List_Filters_ByDateCategoryWithChildrenTagTextAndAmount()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var groceries = await me.Client.CreateCategoryAsync("Groceries", food.Id);
        var transport = await me.Client.CategoryAsync("Transport");
        var a = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-01-10", categoryId = food.Id, payee = "Corner Café", tags = new[] { "lunch" } });
        var b = await me.Client.CreateExpenseAsync(new { amount = "55.20", date = "2026-02-10", categoryId = groceries.Id, payee = "SuperMart", description = "weekly shop" });
        var c = await me.Client.CreateExpenseAsync(new { amount = "3000", currency = "JPY", date = "2026-03-10", categoryId = transport.Id, payee = "Metro", tags = new[] { "lunch", "trip" } });
        var d = await me.Client.CreateExpenseAsync(new { amount = "5.125", currency = "BHD", date = "2026-04-10", description = "Supermarket snacks" });

        async Task<List<Guid>> Ids(string query) =>
            (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?" + query))!.Items.Select(e => e.Id).ToList();

        (await Ids("from=2026-02-01&to=2026-03-31")).ShouldBe([c.Id, b.Id]);
        (await Ids($"categoryId={food.Id}")).ShouldBe([b.Id, a.Id]);
        (await Ids($"categoryId={groceries.Id}")).ShouldBe([b.Id]);
        (await Ids("tag=LUNCH")).ShouldBe([c.Id, a.Id]);
        (await Ids("q=super")).ShouldBe([d.Id, b.Id]);
        (await Ids("q=café")).ShouldBe([a.Id]);
        (await Ids("minAmount=10&maxAmount=100")).ShouldBe([b.Id, a.Id]);
        (await Ids("minAmount=5.125&maxAmount=5.125")).ShouldBe([d.Id]);
        (await Ids("minAmount=2999.5")).ShouldBe([c.Id]);
    }

    [Fact]
    public async Task Create_AppliesRules_ButAnExplicitCategoryWins()
    {
        var me = await App.RegisterAndSignInAsync();
        var transport = await me.Client.CategoryAsync("Transport");
        var food = await me.Client.CategoryAsync("Food");
        var rule = await me.Client.PostAsJsonAsync("/api/v1/rules", new
        {
            name = "Taxis", match = "any", setCategoryId = transport.Id, addTags = new[] { "taxi" },
            conditions = new[] { new { field = "payee", op = "contains", value = "uber" }, new { field = "description", op = "regex", value = "^cab\\b" } },
        });
        await rule.ShouldHaveStatusAsync(HttpStatusCode.Created);

        var byRule = await me.Client.CreateExpenseAsync(new { amount = "20.00", date = "2026-03-05", payee = "UBER *TRIP" });
        byRule.CategoryId.ShouldBe(transport.Id);
        byRule.Tags.ShouldBe(["taxi"]);
        var explicitCategory = await me.Client.CreateExpenseAsync(new { amount = "20.00", date = "2026-03-05", description = "Cab home", categoryId = food.Id, tags = new[] { "late" } });
        explicitCategory.CategoryId.ShouldBe(food.Id);
        explicitCategory.Tags.ShouldBe(["late", "taxi"]);
        var untouched = await me.Client.CreateExpenseAsync(new { amount = "20.00", date = "2026-03-05", payee = "Bakery" });
        untouched.CategoryId.ShouldBeNull();
        untouched.Tags.ShouldBeEmpty();
    }

    [Fact]
    public async Task Export_WritesCsv_WithFormulaCellsNeutralised()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-01-10", categoryId = food.Id, payee = "=HYPERLINK(\"http://evil\")", description = "a, b", tags = new[] { "x" } });
        await me.Client.CreateExpenseAsync(new { amount = "2.00", date = "2026-02-10", payee = "@SUM(A1)", description = "+1" });
        await me.Client.CreateExpenseAsync(new { amount = "3.00", date = "2025-02-10", payee = "old" });

        var res = await me.Client.GetAsync("/api/v1/expenses/export?format=csv&from=2026-01-01&to=2026-12-31");
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        res.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await res.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3);
        lines[0].ShouldBe("id,date,amount,currency,category,payee,description,tags,kind");
        lines[1].ShouldEndWith(",2026-02-10,2.00,USD,,'@SUM(A1),'+1,,expense");
        lines[2].ShouldEndWith(",2026-01-10,10.00,USD,Food,\"'=HYPERLINK(\"\"http://evil\"\")\",\"a, b\",x,expense");

        await (await me.Client.GetAsync("/api/v1/expenses/export?format=xlsx")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
