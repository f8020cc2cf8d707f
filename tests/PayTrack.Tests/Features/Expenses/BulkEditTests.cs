using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;
using Shouldly;

namespace PayTrack.Tests.Features.Expenses;

public sealed class BulkEditTests : ApiTest
{
    private sealed record UpdatedDto(int Updated);
    private sealed record DeletedDto(int Deleted);

    private static async Task<ExpenseDto> GetAsync(HttpClient client, Guid id) => (await client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{id}"))!;

    [Fact]
    public async Task Patch_SetsCategoryKindAndTags_OnEveryChosenExpenseOnly()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var a = await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-02-01", payee = "A", tags = new[] { "keep" } });
        var b = await me.Client.CreateExpenseAsync(new { amount = "2.00", date = "2026-02-02", payee = "B", tags = new[] { "work" } });
        var c = await me.Client.CreateExpenseAsync(new { amount = "3.00", date = "2026-02-03", payee = "C" });

        var res = await me.Client.PatchAsJsonAsync("/api/v1/expenses", new { ids = new[] { a.Id, b.Id }, set = new { categoryId = food.Id, kind = "income" }, addTags = new[] { "Work", "trip" } });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<UpdatedDto>())!.Updated.ShouldBe(2);

        var a2 = await GetAsync(me.Client, a.Id);
        a2.CategoryId.ShouldBe(food.Id);
        a2.Kind.ShouldBe("income");
        a2.Tags.ShouldBe(["keep", "trip", "work"]);
        (await GetAsync(me.Client, b.Id)).Tags.ShouldBe(["trip", "work"]);
        var c2 = await GetAsync(me.Client, c.Id);
        c2.CategoryId.ShouldBeNull();
        c2.Kind.ShouldBe("expense");
        // Tags added in bulk are found by the tag filter (their date and owner are the expense's).
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?tag=trip"))!.Items.Select(e => e.Id).ShouldBe([b.Id, a.Id]);
    }

    [Fact]
    public async Task Patch_WhenOneIdIsAnotherUsers_Returns404AndChangesNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var mine = await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-02-01" });
        var theirs = await other.Client.CreateExpenseAsync(new { amount = "9.00", date = "2026-02-01" });

        var res = await me.Client.PatchAsJsonAsync("/api/v1/expenses", new { ids = new[] { mine.Id, theirs.Id }, set = new { categoryId = food.Id }, addTags = new[] { "x" } });
        await res.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var after = await GetAsync(me.Client, mine.Id);
        after.CategoryId.ShouldBeNull();
        after.Tags.ShouldBeEmpty();
        (await GetAsync(other.Client, theirs.Id)).Tags.ShouldBeEmpty();
    }

    [Fact]
    public async Task Patch_WhenShapeInvalid_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var theirCategory = await other.Client.CategoryAsync("Food");
        var e = await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-02-01" });

        (await (await me.Client.PatchAsJsonAsync("/api/v1/expenses", new { ids = Array.Empty<Guid>(), addTags = new[] { "x" } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Errors!.ShouldContainKey("ids");
        (await (await me.Client.PatchAsJsonAsync("/api/v1/expenses", new { ids = new[] { e.Id } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Errors!.ShouldContainKey("set");
        (await (await me.Client.PatchAsJsonAsync("/api/v1/expenses", new { ids = new[] { e.Id }, set = new { kind = "refund", categoryId = theirCategory.Id } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Errors!.Keys.ShouldBe(["set.kind", "set.categoryId"], ignoreOrder: true);
        var tooMany = Enumerable.Range(0, 501).Select(_ => Guid.NewGuid()).ToArray();
        (await (await me.Client.PatchAsJsonAsync("/api/v1/expenses", new { ids = tooMany, addTags = new[] { "x" } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Errors!.ShouldContainKey("ids");
    }

    [Fact]
    public async Task Delete_RemovesEveryChosenExpense_AndAnotherUsersIdRefusesAll()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var a = await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-02-01", tags = new[] { "t" } });
        var b = await me.Client.CreateExpenseAsync(new { amount = "2.00", date = "2026-02-02" });
        var c = await me.Client.CreateExpenseAsync(new { amount = "3.00", date = "2026-02-03" });
        var theirs = await other.Client.CreateExpenseAsync(new { amount = "9.00", date = "2026-02-01" });

        await (await me.Client.PostAsJsonAsync("/api/v1/expenses/delete", new { ids = new[] { a.Id, theirs.Id } })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items.Count.ShouldBe(3);
        (await other.Client.GetAsync($"/api/v1/expenses/{theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var res = await me.Client.PostAsJsonAsync("/api/v1/expenses/delete", new { ids = new[] { a.Id, b.Id } });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<DeletedDto>())!.Deleted.ShouldBe(2);
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items.Select(e => e.Id).ShouldBe([c.Id]);
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?tag=t"))!.Items.ShouldBeEmpty();
        (await (await me.Client.PostAsJsonAsync("/api/v1/expenses/delete", new { ids = Array.Empty<Guid>() })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Errors!.ShouldContainKey("ids");
    }
}
