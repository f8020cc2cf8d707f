using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Rules;

public sealed class RulesTests : ApiTest
{
    public sealed record RuleDto(Guid Id, string Name, string Match, Guid? SetCategoryId, List<string> AddTags);
    public sealed record ApplyDto(int Changed);

    [Fact]
    public async Task Create_WithBadRegex_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/rules", new { name = "r", match = "all", addTags = new[] { "x" }, conditions = new[] { new { field = "payee", op = "regex", value = "([a-z" } } });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["conditions[0]"]);
    }

    [Theory]
    [InlineData("(a)\\1")]
    [InlineData("foo(?=bar)")]
    [InlineData("(?<=x)y")]
    [InlineData("(?>a+)b")]
    public async Task Create_WithAPatternThatCannotMatchInLinearTime_Returns400(string pattern)
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/rules", new { name = "r", match = "all", addTags = new[] { "x" }, conditions = new[] { new { field = "payee", op = "regex", value = pattern } } });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!["conditions[0]"].Single().ShouldContain("linear time");
        (await me.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.ShouldBeEmpty();
    }

    [Fact]
    public async Task Regex_ThatBacktrackingEnginesCannotFinish_StillMatchesCorrectly_OnEntryAndOnApply()
    {
        // (a+)+$ over a long run of a's followed by '!' takes exponential time in a backtracking engine; before the
        // fix such a match timed out and was counted as "no match", so the second alternative was never seen.
        var me = await App.RegisterAndSignInAsync();
        var payee = new string('a', 40) + "! refund";
        var old = await me.Client.CreateExpenseAsync(new { amount = "5.00", date = "2026-01-05", payee });
        var rule = await me.Client.PostAsJsonAsync("/api/v1/rules", new { name = "refunds", match = "any", addTags = new[] { "refund" }, conditions = new[] { new { field = "payee", op = "regex", value = "(a+)+$|refund" } } });
        await rule.ShouldHaveStatusAsync(HttpStatusCode.Created);

        var created = await me.Client.CreateExpenseAsync(new { amount = "6.00", date = "2026-01-06", payee });
        created.Tags.ShouldBe(["refund"]);
        for (var i = 0; i < 30; i++) await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-01-07", payee = new string('a', 40) + "!" });

        var apply = await me.Client.PostAsync("/api/v1/rules/apply", null);
        await apply.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await apply.Content.ReadFromJsonAsync<ApplyDto>())!.Changed.ShouldBe(1);
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{old.Id}"))!.Tags.ShouldBe(["refund"]);
    }

    [Fact]
    public async Task Create_WhenShapeInvalid_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var theirs = await other.Client.CategoryAsync("Food");
        var res = await me.Client.PostAsJsonAsync("/api/v1/rules", new { name = "", match = "most", setCategoryId = theirs.Id, conditions = Array.Empty<object>() });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["name", "match", "conditions", "setCategoryId"], ignoreOrder: true);
    }

    [Fact]
    public async Task Apply_ReappliesToExistingExpenses_AndCountsChanges()
    {
        var me = await App.RegisterAndSignInAsync();
        var utilities = await me.Client.CategoryAsync("Utilities");
        var a = await me.Client.CreateExpenseAsync(new { amount = "80.00", date = "2026-01-05", payee = "City Power Co" });
        var b = await me.Client.CreateExpenseAsync(new { amount = "20.00", date = "2026-01-06", payee = "City Power Co" });
        await me.Client.CreateExpenseAsync(new { amount = "80.00", date = "2026-01-07", payee = "Cinema" });

        var res = await me.Client.PostAsJsonAsync("/api/v1/rules", new
        {
            name = "Power", match = "all", setCategoryId = utilities.Id, addTags = new[] { "Bills" },
            conditions = new object[] { new { field = "payee", op = "contains", value = "power" }, new { field = "amount", op = "gt", value = "50" } },
        });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var rule = (await res.Content.ReadFromJsonAsync<RuleDto>())!;
        rule.AddTags.ShouldBe(["bills"]);
        (await me.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.Single().Id.ShouldBe(rule.Id);

        var applied = await me.Client.PostAsync("/api/v1/rules/apply", null);
        await applied.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await applied.Content.ReadFromJsonAsync<ApplyDto>())!.Changed.ShouldBe(1);
        var updated = (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{a.Id}"))!;
        updated.CategoryId.ShouldBe(utilities.Id);
        updated.Tags.ShouldBe(["bills"]);
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{b.Id}"))!.CategoryId.ShouldBeNull();

        // Applying again changes nothing more.
        (await (await me.Client.PostAsync("/api/v1/rules/apply", null)).Content.ReadFromJsonAsync<ApplyDto>())!.Changed.ShouldBe(0);
    }

    [Fact]
    public async Task Delete_AndAnotherUsersRule_Answers404()
    {
        var owner = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var rule = (await (await owner.Client.PostAsJsonAsync("/api/v1/rules", new { name = "r", match = "any", addTags = new[] { "x" }, conditions = new[] { new { field = "payee", op = "equals", value = "a" } } }))
            .Content.ReadFromJsonAsync<RuleDto>())!;
        await (await other.Client.DeleteAsync($"/api/v1/rules/{rule.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await other.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.ShouldBeEmpty();
        await (await owner.Client.DeleteAsync($"/api/v1/rules/{rule.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        (await owner.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.ShouldBeEmpty();
    }
}

public sealed class RuleEditingTests : ApiTest
{
    private sealed record RuleDto(Guid Id, string Name, string Match, Guid? SetCategoryId, List<string> AddTags, int Position);
    private sealed record TestDto(int Matched, int WouldChange);
    private sealed record ApplyDto(int Changed);

    private static object Rule(string name, string payee, Guid? categoryId = null, string[]? tags = null) => new
    {
        name, match = "all", setCategoryId = categoryId, addTags = tags ?? [],
        conditions = new[] { new { field = "payee", op = "contains", value = payee } },
    };

    private static async Task<RuleDto> CreateAsync(HttpClient client, object body)
    {
        var res = await client.PostAsJsonAsync("/api/v1/rules", body);
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await res.Content.ReadFromJsonAsync<RuleDto>())!;
    }

    [Fact]
    public async Task Update_ReplacesTheRule_AndAnotherUsersRuleIs404()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var rule = await CreateAsync(me.Client, Rule("Coffee", "café", tags: ["coffee"]));

        var res = await me.Client.PutAsJsonAsync($"/api/v1/rules/{rule.Id}", Rule("Bakery", "bakery", food.Id));
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var updated = (await res.Content.ReadFromJsonAsync<RuleDto>())!;
        (updated.Name, updated.SetCategoryId, updated.AddTags.Count).ShouldBe(("Bakery", food.Id, 0));
        (await me.Client.CreateExpenseAsync(new { amount = "2.00", date = "2026-01-01", payee = "Corner Bakery" })).CategoryId.ShouldBe(food.Id);

        await (await other.Client.PutAsJsonAsync($"/api/v1/rules/{rule.Id}", Rule("Mine", "x", tags: ["x"]))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await me.Client.PutAsJsonAsync($"/api/v1/rules/{rule.Id}", new { name = "", match = "all", conditions = Array.Empty<object>() })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Errors!.Keys.ShouldBe(["name", "conditions", "setCategoryId"], ignoreOrder: true);
    }

    [Fact]
    public async Task Reorder_ChangesWhichCategoryWins()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var transport = await me.Client.CategoryAsync("Transport");
        var first = await CreateAsync(me.Client, Rule("Food", "station", food.Id));
        var second = await CreateAsync(me.Client, Rule("Transport", "station", transport.Id));
        (await me.Client.CreateExpenseAsync(new { amount = "2.00", date = "2026-01-01", payee = "Station kiosk" })).CategoryId.ShouldBe(food.Id);

        var res = await me.Client.PutAsJsonAsync("/api/v1/rules/order", new { ids = new[] { second.Id, first.Id } });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await me.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.Select(r => r.Id).ShouldBe([second.Id, first.Id]);
        (await me.Client.CreateExpenseAsync(new { amount = "2.00", date = "2026-01-01", payee = "Station kiosk" })).CategoryId.ShouldBe(transport.Id);
        // A new rule goes last.
        var third = await CreateAsync(me.Client, Rule("Other", "zzz", tags: ["z"]));
        (await me.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.Select(r => r.Id).ShouldBe([second.Id, first.Id, third.Id]);

        // Not every rule, or someone else's: refused, order unchanged.
        var other = await App.RegisterAndSignInAsync();
        var theirs = await CreateAsync(other.Client, Rule("T", "t", tags: ["t"]));
        (await (await me.Client.PutAsJsonAsync("/api/v1/rules/order", new { ids = new[] { first.Id, second.Id } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("ids");
        await (await me.Client.PutAsJsonAsync("/api/v1/rules/order", new { ids = new[] { first.Id, second.Id, theirs.Id } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await me.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.Select(r => r.Id).ShouldBe([second.Id, first.Id, third.Id]);
    }

    [Fact]
    public async Task Test_CountsWithoutWriting_ThenApplyOneRuleChangesThoseExpenses()
    {
        var me = await App.RegisterAndSignInAsync();
        var utilities = await me.Client.CategoryAsync("Utilities");
        var a = await me.Client.CreateExpenseAsync(new { amount = "80.00", date = "2026-01-05", payee = "City Power Co" });
        await me.Client.CreateExpenseAsync(new { amount = "20.00", date = "2026-01-06", payee = "City Power Co", categoryId = utilities.Id });
        await me.Client.CreateExpenseAsync(new { amount = "8.00", date = "2026-01-07", payee = "Cinema" });
        var stranger = await App.RegisterAndSignInAsync();
        await stranger.Client.CreateExpenseAsync(new { amount = "80.00", date = "2026-01-05", payee = "City Power Co" });

        var draft = Rule("Power", "power", utilities.Id);
        var res = await me.Client.PostAsJsonAsync("/api/v1/rules/test", draft);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<TestDto>())!.ShouldBe(new TestDto(2, 1));
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{a.Id}"))!.CategoryId.ShouldBeNull();
        (await me.Client.GetFromJsonAsync<List<RuleDto>>("/api/v1/rules"))!.ShouldBeEmpty();

        var rule = await CreateAsync(me.Client, draft);
        var applied = await me.Client.PostAsync($"/api/v1/rules/{rule.Id}/apply", null);
        await applied.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await applied.Content.ReadFromJsonAsync<ApplyDto>())!.Changed.ShouldBe(1);
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{a.Id}"))!.CategoryId.ShouldBe(utilities.Id);
        await (await stranger.Client.PostAsync($"/api/v1/rules/{rule.Id}/apply", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await me.Client.PostAsJsonAsync("/api/v1/rules/test", new { match = "some" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("match");
    }
}
