using System.Net;
using System.Net.Http.Json;
using System.Text;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

/// <summary>What a request may be: strict amounts, bounded lists and bodies, sane headers; every refusal a problem and nothing stored.</summary>
public sealed class RequestLimitsTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:Enabled"] = "false" };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("1e5")]
    [InlineData("1E2")]
    [InlineData("\" 1.00 \"")]
    [InlineData("\"+1.00\"")]
    [InlineData("\"1.\"")]
    [InlineData("\".5\"")]
    [InlineData("\"1e5\"")]
    [InlineData("-1.00")]
    public async Task Amounts_NotInPlainDecimalNotation_Are400_OnExpensesTransfersAndBudgets(string amount)
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(me);
        await App.FundAsync(me.Id, wallet.Id, "500000.00");

        var expense = await me.Client.PostAsync("/api/v1/expenses", Json($$"""{"amount": {{amount}}, "date": "2026-03-01"}"""));
        (await expense.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("amount");
        var budget = await me.Client.PostAsync("/api/v1/budgets", Json($$"""{"name": "All", "amount": {{amount}}, "period": "monthly"}"""));
        (await budget.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("amount");
        var otherWallet = await PayTrackApp.MainWalletAsync(other);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/transfers")
        {
            Content = Json($$"""{"fromAccountId": "{{wallet.Id}}", "toAccountId": "{{otherWallet.Id}}", "amount": {{amount}}}"""),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await (await me.Client.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items.ShouldBeEmpty();
        (await PayTrackApp.MainWalletAsync(other)).Balance.ShouldBe("0.00");
    }

    [Fact]
    public async Task Amounts_InPlainDecimalNotation_AreAccepted_AsNumbersOrStrings()
    {
        var me = await App.RegisterAndSignInAsync();
        (await me.Client.CreateExpenseAsync(new { amount = 12.5m, date = "2026-03-01" })).Amount.ShouldBe("12.50");
        (await me.Client.CreateExpenseAsync(new { amount = "0.99", date = "2026-03-01" })).Amount.ShouldBe("0.99");
    }

    [Fact]
    public async Task Tags_MoreThanTwenty_Are400_EvenWhenTheyRepeat()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/expenses", new { amount = "1", date = "2026-03-01", tags = Enumerable.Repeat("same", 21) });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!["tags"].Single().ShouldContain("at most 20");
        var twenty = await me.Client.CreateExpenseAsync(new { amount = "1", date = "2026-03-01", tags = Enumerable.Range(0, 20).Select(i => $"t{i}") });
        twenty.Tags.Count.ShouldBe(20);
    }

    [Fact]
    public async Task JsonBodies_LargerThanTheEndpointTakes_Are413_AndStoreNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        // 100,000 tags: refused by size before anything parses them.
        var tags = string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"t{i}\""));
        var res = await me.Client.PostAsync("/api/v1/expenses", Json($$"""{"amount": "1", "date": "2026-03-01", "tags": [{{tags}}]}"""));
        await res.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        // Without a Content-Length (chunked), the same refusal while the body is read.
        var chunked = Json($$"""{"amount": "1", "date": "2026-03-01", "description": "{{new string('x', 70_000)}}"}""");
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/expenses") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await me.Client.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task BatchOfAThousand_FitsItsLargerLimit()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(me);
        var to = await PayTrackApp.MainWalletAsync(other);
        await App.FundAsync(me.Id, wallet.Id, "1000.00");
        var items = Enumerable.Range(0, 1000).Select(i => new { fromAccountId = wallet.Id, toAccountId = to.Id, amount = "1.00", description = $"item {i} of the monthly payout run" }).ToArray();
        var res = await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/transfers/batch", new { transfers = items });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await PayTrackApp.MainWalletAsync(other)).Balance.ShouldBe("1000.00");
    }

    [Fact]
    public async Task TooLongTargets_TooManyHeaders_AndNonAsciiHeaderBytes_AreProblems()
    {
        var client = App.Anonymous();
        await (await client.GetAsync("/api/v1/me?q=" + new string('a', 9000))).ShouldBeProblemAsync(HttpStatusCode.RequestUriTooLong);

        using var big = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        big.Headers.Add("X-Big", new string('a', 40_000));
        await (await client.SendAsync(big)).ShouldBeProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);

        using var many = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        for (var i = 0; i < 150; i++) many.Headers.Add($"X-H{i}", "v");
        await (await client.SendAsync(many)).ShouldBeProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);

        using var latin = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        latin.Headers.TryAddWithoutValidation("X-Name", "caf\u00e9");
        await (await client.SendAsync(latin)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task IdempotencyKey_WithInnerSpacesOrControlCharacters_Is400_AndBooksNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(me);
        await App.FundAsync(me.Id, wallet.Id, "10.00");
        var to = await PayTrackApp.MainWalletAsync(other);
        var res = await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toAccountId = to.Id, amount = "1.00" }, key: "my key");
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("Idempotency-Key");
        (await PayTrackApp.MainWalletAsync(other)).Balance.ShouldBe("0.00");
    }

    [Fact]
    public async Task SqliteFiles_AreReadableByTheOwnerOnly()
    {
        if (TestDatabase.IsPostgres || OperatingSystem.IsWindows()) return; // a property of the SQLite file only
        var me = await App.RegisterAndSignInAsync();
        await me.Client.CreateExpenseAsync(new { amount = "1", date = "2026-03-01" });
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(App.Database.ConnectionString).DataSource;
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
            File.GetUnixFileMode(f).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, f);
    }
}
