using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

public sealed class SettlementsTests : ApiTest
{
    private async Task<(SignedInUser A, SignedInUser B, GroupDto Group)> OwingAsync()
    {
        var a = await App.RegisterAndSignInAsync(displayName: "Ana");
        var b = await App.RegisterAndSignInAsync(displayName: "Ben");
        var group = await a.CreateGroupAsync();
        await a.JoinAsync(group.Id, b);
        // Ben owes Ana 25.00.
        await a.AddExpenseAsync(group.Id, new { description = "Concert", amount = "50", date = "2026-03-01", split = GroupSteps.Equal(a, b) });
        return (a, b, group);
    }

    [Fact]
    public async Task Cash_IsRecordedOnly_AndMovesTheBalances()
    {
        var (a, b, group) = await OwingAsync();
        var res = await PayTrackApp.PostIdempotentAsync(b.Client, $"/api/v1/groups/{group.Id}/settlements", new { toUserId = a.Id, amount = "10", method = "cash" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var s = (await res.Content.ReadFromJsonAsync<SettlementDto>())!;
        s.ShouldBe(s with { GroupId = group.Id, FromUserId = b.Id, ToUserId = a.Id, Amount = "10.00", Currency = "USD", Method = "cash", TransferId = null });
        var balances = await a.BalancesAsync(group.Id);
        var ben = balances.Members.Single(m => m.UserId == b.Id);
        (ben.Sent, ben.Balance).ShouldBe(("10.00", "-15.00"));
        balances.Members.Single(m => m.UserId == a.Id).Received.ShouldBe("10.00");
        balances.Suggested.ShouldBe([new SuggestedDto(b.Id, a.Id, "15.00")]);
        (await a.Client.GetFromJsonAsync<PageDto<SettlementDto>>($"/api/v1/groups/{group.Id}/settlements"))!.Items.ShouldHaveSingleItem().Id.ShouldBe(s.Id);
        (await PayTrackApp.MainWalletAsync(b)).Balance.ShouldBe("0.00");
    }

    [Fact]
    public async Task Wallet_IsALedgerTransfer_InTheSameTransaction_AndReplaysWithItsKey()
    {
        var (a, b, group) = await OwingAsync();
        var bWallet = await PayTrackApp.MainWalletAsync(b);
        await App.FundAsync(b.Id, bWallet.Id, "30.00");
        var body = new { toUserId = a.Id, amount = "25.00", method = "wallet" };
        var res = await PayTrackApp.PostIdempotentAsync(b.Client, $"/api/v1/groups/{group.Id}/settlements", body, "settle-1");
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var s = (await res.Content.ReadFromJsonAsync<SettlementDto>())!;
        s.TransferId.ShouldNotBeNull();
        var transfer = (await a.Client.GetFromJsonAsync<TransferDto>($"/api/v1/transfers/{s.TransferId}"))!;
        (transfer.Amount, transfer.Status, transfer.FromAccountId).ShouldBe(("25.00", "success", bWallet.Id));
        (await PayTrackApp.MainWalletAsync(b)).Balance.ShouldBe("5.00");
        (await PayTrackApp.MainWalletAsync(a)).Balance.ShouldBe("25.00");
        (await a.BalancesAsync(group.Id)).Members.ShouldAllBe(m => m.Balance == "0.00");
        (await a.BalancesAsync(group.Id)).Suggested.ShouldBeEmpty();

        var replay = await PayTrackApp.PostIdempotentAsync(b.Client, $"/api/v1/groups/{group.Id}/settlements", body, "settle-1");
        await replay.ShouldHaveStatusAsync(HttpStatusCode.Created);
        replay.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await PayTrackApp.MainWalletAsync(b)).Balance.ShouldBe("5.00");
        await (await PayTrackApp.PostIdempotentAsync(b.Client, $"/api/v1/groups/{group.Id}/settlements", body with { amount = "1.00" }, "settle-1"))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/idempotency-key-reused");
        var audit = (await b.Client.GetFromJsonAsync<PageDto<AuditEventDto>>("/api/v1/audit?limit=200"))!;
        audit.Items.ShouldContain(x => x.EntityId == s.TransferId);
    }

    [Fact]
    public async Task Wallet_WithoutEnoughMoney_Returns422_AndRecordsNothing()
    {
        var (a, b, group) = await OwingAsync();
        var bWallet = await PayTrackApp.MainWalletAsync(b);
        await App.FundAsync(b.Id, bWallet.Id, "5.00");
        var res = await PayTrackApp.PostIdempotentAsync(b.Client, $"/api/v1/groups/{group.Id}/settlements", new { toUserId = a.Id, amount = "25.00", method = "wallet" });
        await res.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");
        (await a.Client.GetFromJsonAsync<PageDto<SettlementDto>>($"/api/v1/groups/{group.Id}/settlements"))!.Items.ShouldBeEmpty();
        (await b.Client.GetFromJsonAsync<PageDto<TransferDto>>("/api/v1/transfers"))!.Items.ShouldBeEmpty();
        (await a.BalancesAsync(group.Id)).Members.Single(m => m.UserId == b.Id).Balance.ShouldBe("-25.00");
        (await PayTrackApp.MainWalletAsync(b)).Balance.ShouldBe("5.00");
    }

    [Fact]
    public async Task Settlement_Refusals()
    {
        var (a, b, group) = await OwingAsync();
        var eur = await App.RegisterAndSignInAsync(currency: "EUR");
        await a.JoinAsync(group.Id, eur);
        var path = $"/api/v1/groups/{group.Id}/settlements";
        await (await b.Client.PostAsJsonAsync(path, new { toUserId = a.Id, amount = "1", method = "cash" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await PayTrackApp.PostIdempotentAsync(b.Client, path, new { toUserId = a.Id, amount = "1", method = "cheque" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await PayTrackApp.PostIdempotentAsync(b.Client, path, new { toUserId = b.Id, amount = "1", method = "cash" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await PayTrackApp.PostIdempotentAsync(b.Client, path, new { toUserId = Guid.NewGuid(), amount = "1", method = "cash" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await PayTrackApp.PostIdempotentAsync(b.Client, path, new { toUserId = a.Id, amount = "0", method = "cash" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        // Only EUR wallets: nothing in the group currency to pay from, and nothing to pay into.
        await (await PayTrackApp.PostIdempotentAsync(eur.Client, path, new { toUserId = a.Id, amount = "1", method = "wallet" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/currency-mismatch");
        await (await PayTrackApp.PostIdempotentAsync(b.Client, path, new { toUserId = eur.Id, amount = "1", method = "wallet" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/currency-mismatch");
        await (await PayTrackApp.PostIdempotentAsync(b.Client, path, new { toUserId = a.Id, amount = "1", method = "wallet", fromAccountId = (await PayTrackApp.MainWalletAsync(a)).Id }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
