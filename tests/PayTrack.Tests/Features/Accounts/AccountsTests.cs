using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Accounts;

public sealed class AccountsTests : ApiTest
{
    [Fact]
    public async Task Register_OpensAMainWalletInTheDefaultCurrency()
    {
        var me = await App.RegisterAndSignInAsync(currency: "JPY");
        var accounts = (await me.Client.GetFromJsonAsync<ItemsDto<AccountDto>>("/api/v1/accounts"))!.Items;
        var main = accounts.ShouldHaveSingleItem();
        main.Name.ShouldBe("Main");
        main.Currency.ShouldBe("JPY");
        main.Balance.ShouldBe("0");
        main.Available.ShouldBe("0");
        main.Status.ShouldBe("active");
    }

    [Fact]
    public async Task CreateAccount_AddsAWallet_AndRefusesADuplicateNameOrBadCurrency()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Savings", currency = "bhd" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var savings = (await res.Content.ReadFromJsonAsync<AccountDto>())!;
        savings.Currency.ShouldBe("BHD");
        savings.Balance.ShouldBe("0.000");
        res.Headers.Location!.ToString().ShouldBe($"/api/v1/accounts/{savings.Id}");

        await (await me.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Savings", currency = "USD" })).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/account-name-taken");
        var bad = await me.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "", currency = "XYZ" });
        (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["name", "currency"], ignoreOrder: true);
        (await me.Client.GetFromJsonAsync<ItemsDto<AccountDto>>("/api/v1/accounts"))!.Items.Count.ShouldBe(2);
    }

    [Fact]
    public async Task AnotherUsersAccount_Answers404()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var bobs = await PayTrackApp.MainWalletAsync(bob);
        await (await ann.Client.GetAsync($"/api/v1/accounts/{bobs.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await ann.Client.GetAsync($"/api/v1/accounts/{bobs.Id}/entries")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await ann.Client.GetAsync($"/api/v1/accounts/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Entries_AreNewestFirstWithDirectionAndRunningBalance_AndPage()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        await App.FundAsync(ann.Id, wallet.Id, "100.00");
        for (var i = 1; i <= 3; i++)
            await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = $"{i}.50", description = $"gift {i}" }))
                .ShouldHaveStatusAsync(HttpStatusCode.Created);

        var all = new List<EntryDto>();
        string? cursor = null;
        do
        {
            var page = (await ann.Client.GetFromJsonAsync<PageDto<EntryDto>>($"/api/v1/accounts/{wallet.Id}/entries?limit=3&cursor={cursor}"))!;
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);

        all.Count.ShouldBe(4);
        all.Select(e => (e.Direction, e.Amount, e.BalanceAfter)).ShouldBe([
            ("debit", "3.50", "92.50"), ("debit", "2.50", "96.00"), ("debit", "1.50", "98.50"), ("credit", "100.00", "100.00")]);
        all[0].Description.ShouldBe("gift 3");
        all.ShouldAllBe(e => e.Currency == "USD");
        (await ann.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Balance.ShouldBe("92.50");
    }
}
