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
