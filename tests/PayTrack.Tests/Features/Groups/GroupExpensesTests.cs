using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

public sealed class GroupExpensesTests : ApiTest
{
    private async Task<(SignedInUser A, SignedInUser B, SignedInUser C, GroupDto Group)> ThreeAsync(string currency = "USD")
    {
        var a = await App.RegisterAndSignInAsync(displayName: "Ana", currency: currency);
        var b = await App.RegisterAndSignInAsync(displayName: "Ben", currency: currency);
        var c = await App.RegisterAndSignInAsync(displayName: "Cai", currency: currency);
        var group = await a.CreateGroupAsync(currency: currency);
        await a.JoinAsync(group.Id, b);
        await a.JoinAsync(group.Id, c);
        return (a, b, c, group);
    }

    private static long Minor(string amount) => (long)(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) * 100);

    private static void ShouldSumToZero(BalancesDto balances) => balances.Members.Sum(m => Minor(m.Balance)).ShouldBe(0);

    [Fact]
    public async Task EqualSplit_OfTenDollarsByThree_GivesWholeCentsThatSumExactly()
    {
        var (a, b, c, group) = await ThreeAsync();
        var res = await a.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/expenses",
            new { description = "Pizza", amount = 10, date = "2026-03-01", category = "Food", split = GroupSteps.Equal(c, b, a) });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var e = (await res.Content.ReadFromJsonAsync<GroupExpenseDto>())!;
        res.Headers.Location!.ToString().ShouldBe($"/api/v1/groups/{group.Id}/expenses/{e.Id}");
        e.Amount.ShouldBe("10.00");
        e.Currency.ShouldBe("USD");
        e.Rate.ShouldBe("1");
        e.GroupAmount.ShouldBe("10.00");
        e.Version.ShouldBe(1);
        e.CreatedBy.ShouldBe(a.Id);
        e.Payers.ShouldHaveSingleItem().ShouldBe(new AmountDto(a.Id, "10.00", "10.00"));
        e.Shares.Select(s => s.Amount).OrderDescending().ShouldBe(["3.34", "3.33", "3.33"]);
        e.Shares.Sum(s => Minor(s.Amount)).ShouldBe(1000);
        // The same request gives the same shares, whatever the order of the parts.
        var again = await a.AddExpenseAsync(group.Id, new { description = "Pizza", amount = "10.00", date = "2026-03-01", split = GroupSteps.Equal(b, a, c) });
        again.Shares.ShouldBe(e.Shares);

        var balances = await a.BalancesAsync(group.Id);
        balances.Currency.ShouldBe("USD");
        ShouldSumToZero(balances);
        var ana = balances.Members.Single(m => m.UserId == a.Id);
        ana.Paid.ShouldBe("20.00");
        (Minor(ana.Owed) + balances.Members.Where(m => m.UserId != a.Id).Sum(m => Minor(m.Owed))).ShouldBe(2000);
        Minor(ana.Balance).ShouldBe(2000 - Minor(ana.Owed));
        balances.Suggested.Count.ShouldBe(2);
        balances.Suggested.ShouldAllBe(s => s.ToUserId == a.Id);

        // The domain event names the group and everyone the expense involves (for notifications and live updates).
        var audit = (await a.Client.GetFromJsonAsync<PageDto<AuditEventDto>>("/api/v1/audit?limit=200"))!.Items;
        var created = audit.First(x => x.Event == "group.expense.created" && x.EntityId == e.Id);
        created.Data.GetProperty("groupId").GetGuid().ShouldBe(group.Id);
        created.Data.GetProperty("userIds").EnumerateArray().Select(u => u.GetGuid()).ShouldBe(new[] { a.Id, b.Id, c.Id }, ignoreOrder: true);
    }

    [Fact]
    public async Task SeveralPayers_ExactPercentAndShares_AllocateExactly()
    {
        var (a, b, c, group) = await ThreeAsync();
        var exact = await b.AddExpenseAsync(group.Id, new
        {
            description = "Hotel", amount = "300.00", date = "2026-03-02",
            payers = new[] { new { userId = a.Id, amount = "100.00" }, new { userId = b.Id, amount = "200.00" } },
            split = new { mode = "exact", parts = new[] { new { userId = a.Id, value = "50.00" }, new { userId = b.Id, value = "125.50" }, new { userId = c.Id, value = "124.50" } } },
        });
        exact.Payers.Select(p => (p.UserId, p.Amount)).ShouldBe([(a.Id, "100.00"), (b.Id, "200.00")], ignoreOrder: true);
        exact.Shares.Single(s => s.UserId == b.Id).Amount.ShouldBe("125.50");
        exact.Split.Mode.ShouldBe("exact");

        var percent = await c.AddExpenseAsync(group.Id, new
        {
            description = "Car", amount = "0.10", date = "2026-03-03",
            split = new { mode = "percent", parts = new[] { new { userId = a.Id, value = "33.33" }, new { userId = b.Id, value = "33.33" }, new { userId = c.Id, value = "33.34" } } },
        });
        percent.Shares.Sum(s => Minor(s.Amount)).ShouldBe(10);

        var shares = await c.AddExpenseAsync(group.Id, new
        {
            description = "Fuel", amount = 7, date = "2026-03-03",
            split = new { mode = "shares", parts = new[] { new { userId = a.Id, value = "1" }, new { userId = b.Id, value = "2" } } },
        });
        shares.Shares.Select(s => (s.UserId, s.Amount)).ShouldBe([(a.Id, "2.33"), (b.Id, "4.67")], ignoreOrder: true);
        ShouldSumToZero(await a.BalancesAsync(group.Id));
    }

    [Theory]
    [InlineData("exact", "3.00", "6.00", "The exact amounts add up to 9.00, not 10.00: 1.00 is not assigned to anyone.")]
    [InlineData("percent", "50", "40", "The percentages add up to 90 %, not 100 %.")]
    [InlineData("shares", "1", "-2", "Shares are whole numbers from 1 to 1,000,000.")]
    [InlineData("halves", "1", "1", "split.mode must be one of equal, exact, percent, shares.")]
    public async Task Split_ThatDoesNotAddUp_Returns400SayingWhy(string mode, string first, string second, string message)
    {
        var (a, b, _, group) = await ThreeAsync();
        var res = await a.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/expenses", new
        {
            description = "x", amount = "10.00", date = "2026-03-01",
            split = new { mode, parts = new[] { new { userId = a.Id, value = first }, new { userId = b.Id, value = second } } },
        });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!["split"].ShouldBe([message]);
    }

    [Fact]
    public async Task Expense_WithBadPayersOrNonMembers_Returns400()
    {
        var (a, b, _, group) = await ThreeAsync();
        var stranger = await App.RegisterAndSignInAsync();
        async Task<ProblemDto> Post(object body) => await (await a.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/expenses", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await Post(new { description = "x", amount = "10", date = "2026-03-01", payers = new[] { new { userId = a.Id, amount = "4" }, new { userId = b.Id, amount = "5" } }, split = GroupSteps.Equal(a) }))
            .Errors!["payers"].ShouldBe(["The payers' amounts add up to 9.00, not 10.00."]);
        (await Post(new { description = "x", amount = "10", date = "2026-03-01", split = GroupSteps.Equal(a, stranger) })).Errors!.ShouldContainKey("split");
        (await Post(new { description = "x", amount = "10", date = "2026-03-01", payers = new[] { new { userId = stranger.Id, amount = "10" } }, split = GroupSteps.Equal(a) }))
            .Errors!.ShouldContainKey("payers");
        (await Post(new { description = "x", amount = "10.001", date = "2026-03-01", split = GroupSteps.Equal(a) })).Errors!.ShouldContainKey("amount");
        (await Post(new { description = "x", amount = "-1", date = "2026-03-01", split = GroupSteps.Equal(a) })).Errors!.ShouldContainKey("amount");
        (await Post(new { description = "", amount = "1", date = "2026-03-01", split = GroupSteps.Equal(a) })).Errors!.ShouldContainKey("description");
        (await Post(new { description = "x", amount = "1", date = "March", split = GroupSteps.Equal(a) })).Errors!.ShouldContainKey("date");
        (await Post(new { description = "x", amount = "1", date = "2026-03-01" })).Errors!.ShouldContainKey("split");
    }

    [Fact]
    public async Task ForeignCurrency_KeepsItsRate_AndBalancesStayExact()
    {
        var (a, b, c, group) = await ThreeAsync("EUR");
        var res = await a.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/expenses",
            new { description = "Souvenir", amount = "1000", currency = "JPY", date = "2026-03-01", split = GroupSteps.Equal(a, b, c) });
        (await res.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/missing-rate")).Detail!.ShouldContain("JPY");

        var given = await a.AddExpenseAsync(group.Id, new { description = "Souvenir", amount = "1000", currency = "JPY", rate = "0.0061", date = "2026-03-01", split = GroupSteps.Equal(a, b, c) });
        given.Rate.ShouldBe("0.0061");
        given.GroupAmount.ShouldBe("6.10");
        given.Shares.Sum(s => Minor(s.GroupAmount)).ShouldBe(610);
        given.Shares.Sum(s => long.Parse(s.Amount)).ShouldBe(1000);

        // A stored rate of the expense's date (or before) is used when none is given (a is the first user: an admin).
        await (await a.Client.PutAsJsonAsync("/api/v1/exchange-rates", new { rates = new[] { new { date = "2026-02-28", @base = "EUR", quote = "USD", rate = "1.25" } } }))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        var stored = await b.AddExpenseAsync(group.Id, new { description = "Taxi", amount = "10.01", currency = "USD", date = "2026-03-01", split = GroupSteps.Equal(a, b, c) });
        decimal.Parse(stored.Rate, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(0.8m);
        stored.GroupAmount.ShouldBe("8.01");
        stored.Payers.ShouldHaveSingleItem().GroupAmount.ShouldBe("8.01");
        await (await a.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/expenses",
            new { description = "x", amount = "1", rate = "2", date = "2026-03-01", split = GroupSteps.Equal(a) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        ShouldSumToZero(await a.BalancesAsync(group.Id));
    }

    [Fact]
    public async Task Update_WithItsVersion_Replaces_StaleVersion_Returns409_AndOthersGet403()
    {
        var (a, b, c, group) = await ThreeAsync();
        var e = await b.AddExpenseAsync(group.Id, new { description = "Lunch", amount = "30", date = "2026-03-01", split = GroupSteps.Equal(a, b, c) });
        var path = $"/api/v1/groups/{group.Id}/expenses/{e.Id}";
        var body = new { description = "Lunch and coffee", amount = "36", date = "2026-03-01", split = GroupSteps.Equal(a, b), version = 1 };
        await (await c.Client.PutAsJsonAsync(path, body)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await b.Client.PutAsJsonAsync(path, body with { version = 0 } )).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/edit-conflict");
        var res = await b.Client.PutAsJsonAsync(path, body);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var updated = (await res.Content.ReadFromJsonAsync<GroupExpenseDto>())!;
        updated.Version.ShouldBe(2);
        updated.Description.ShouldBe("Lunch and coffee");
        updated.Shares.Select(s => s.Amount).ShouldBe(["18.00", "18.00"]);
        // The same edit again is stale now: never a lost update.
        await (await a.Client.PutAsJsonAsync(path, body)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/edit-conflict");
        (await c.Client.GetFromJsonAsync<GroupExpenseDto>(path))!.ShouldBeEquivalentTo(updated);
        await (await b.Client.PutAsJsonAsync(path, new { description = "x", amount = "1", date = "2026-03-01", split = GroupSteps.Equal(a) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var balances = await a.BalancesAsync(group.Id);
        balances.Members.Single(m => m.UserId == c.Id).Balance.ShouldBe("0.00");
        balances.Members.Single(m => m.UserId == b.Id).Balance.ShouldBe("18.00");
        balances.Members.Single(m => m.UserId == a.Id).Balance.ShouldBe("-18.00");
        balances.Suggested.ShouldBe([new SuggestedDto(a.Id, b.Id, "18.00")]);

        var activity = (await a.Client.GetFromJsonAsync<PageDto<ActivityDto>>($"/api/v1/groups/{group.Id}/activity"))!;
        var edit = activity.Items[0];
        edit.Action.ShouldBe("expense.updated");
        edit.ActorId.ShouldBe(b.Id);
        edit.EntityId.ShouldBe(e.Id);
        edit.Before!.Value.GetProperty("amount").GetString().ShouldBe("30.00");
        edit.After!.Value.GetProperty("amount").GetString().ShouldBe("36.00");
    }

    [Fact]
    public async Task Delete_ByCreatorOrOwner_TakesItOffTheBalances()
    {
        var (a, b, c, group) = await ThreeAsync();
        var e1 = await b.AddExpenseAsync(group.Id, new { description = "Lunch", amount = "30", date = "2026-03-01", split = GroupSteps.Equal(a, b, c) });
        var e2 = await b.AddExpenseAsync(group.Id, new { description = "Dinner", amount = "60", date = "2026-03-02", split = GroupSteps.Equal(a, b, c) });
        await (await c.Client.DeleteAsync($"/api/v1/groups/{group.Id}/expenses/{e1.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await b.Client.DeleteAsync($"/api/v1/groups/{group.Id}/expenses/{e1.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await a.Client.DeleteAsync($"/api/v1/groups/{group.Id}/expenses/{e2.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await a.Client.DeleteAsync($"/api/v1/groups/{group.Id}/expenses/{e2.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await a.BalancesAsync(group.Id)).Members.ShouldAllBe(m => m.Balance == "0.00" && m.Paid == "0.00" && m.Owed == "0.00");
        var activity = (await a.Client.GetFromJsonAsync<PageDto<ActivityDto>>($"/api/v1/groups/{group.Id}/activity?limit=2"))!;
        activity.Items.Select(x => x.Action).ShouldBe(["expense.deleted", "expense.deleted"]);
        activity.Items[0].Before!.Value.GetProperty("description").GetString().ShouldBe("Dinner");
        activity.NextCursor.ShouldNotBeNull();
    }

    [Fact]
    public async Task List_NewestFirst_Paged_AndFilteredByDatesAndText()
    {
        var (a, b, c, group) = await ThreeAsync();
        foreach (var (d, text) in new[] { ("2026-03-01", "Bread"), ("2026-03-03", "Museum"), ("2026-03-02", "Bread rolls") })
            await a.AddExpenseAsync(group.Id, new { description = text, amount = "3", date = d, split = GroupSteps.Equal(a, b, c) });
        var first = (await b.Client.GetFromJsonAsync<PageDto<GroupExpenseDto>>($"/api/v1/groups/{group.Id}/expenses?limit=2"))!;
        first.Items.Select(e => e.Date).ShouldBe(["2026-03-03", "2026-03-02"]);
        var rest = (await b.Client.GetFromJsonAsync<PageDto<GroupExpenseDto>>($"/api/v1/groups/{group.Id}/expenses?limit=2&cursor={first.NextCursor}"))!;
        rest.Items.ShouldHaveSingleItem().Description.ShouldBe("Bread");
        rest.NextCursor.ShouldBeNull();
        (await b.Client.GetFromJsonAsync<PageDto<GroupExpenseDto>>($"/api/v1/groups/{group.Id}/expenses?q=bread&from=2026-03-02"))!
            .Items.ShouldHaveSingleItem().Description.ShouldBe("Bread rolls");
        await (await b.Client.GetAsync($"/api/v1/groups/{group.Id}/expenses?from=yesterday")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CsvExport_HasEveryExpenseWithPayersAndShares_FormulasNeutralised()
    {
        var (a, b, c, group) = await ThreeAsync();
        await a.AddExpenseAsync(group.Id, new { description = "=HYPERLINK(\"x\")", amount = "9", date = "2026-03-01", split = GroupSteps.Equal(a, b, c) });
        var res = await c.Client.GetAsync($"/api/v1/groups/{group.Id}/expenses.csv");
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        res.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await res.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines[0].ShouldStartWith("id,date,description");
        lines[1].ShouldContain("'=HYPERLINK");
        lines[1].ShouldContain("Ana: 9.00");
        lines[1].ShouldContain("Ben: 3.00");
    }

    [Fact]
    public async Task Create_WithAnIdempotencyKey_RecordsOnce()
    {
        var (a, b, _, group) = await ThreeAsync();
        var body = new { description = "Tickets", amount = "12", date = "2026-03-01", split = GroupSteps.Equal(a, b) };
        var first = await PayTrackApp.PostIdempotentAsync(a.Client, $"/api/v1/groups/{group.Id}/expenses", body, "key-1");
        await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var again = await PayTrackApp.PostIdempotentAsync(a.Client, $"/api/v1/groups/{group.Id}/expenses", body, "key-1");
        await again.ShouldHaveStatusAsync(HttpStatusCode.Created);
        again.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await a.Client.GetFromJsonAsync<PageDto<GroupExpenseDto>>($"/api/v1/groups/{group.Id}/expenses"))!.Items.Count.ShouldBe(1);
        (await a.BalancesAsync(group.Id)).Members.Single(m => m.UserId == a.Id).Balance.ShouldBe("6.00");
    }
}
