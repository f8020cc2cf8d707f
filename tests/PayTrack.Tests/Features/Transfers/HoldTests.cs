using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Transfers;

public sealed class HoldTests : ApiTest
{
    private async Task<(SignedInUser Ann, AccountDto AnnWallet, SignedInUser Bob, AccountDto BobWallet, TransferDto Hold)> HoldAsync(int? expiresInSeconds = null)
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "100.00");
        var res = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers",
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "30.00", hold = true, expiresInSeconds });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var hold = (await res.Content.ReadFromJsonAsync<TransferDto>())!;
        return (ann, annWallet, bob, bobWallet, hold);
    }

    private static async Task<AccountDto> AccountAsync(SignedInUser who, Guid id) => (await who.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{id}"))!;

    [Fact]
    public async Task Hold_ReservesAvailableButNotBalance()
    {
        var (ann, annWallet, bob, bobWallet, hold) = await HoldAsync();
        hold.Status.ShouldBe("pending");
        hold.ExpiresAt.ShouldNotBeNull();
        var a = await AccountAsync(ann, annWallet.Id);
        a.Balance.ShouldBe("100.00");
        a.Available.ShouldBe("70.00");
        (await AccountAsync(bob, bobWallet.Id)).Balance.ShouldBe("0.00");

        // The reserved money cannot be spent twice.
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "70.01" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Capture_MovesTheHeldMoney_AndASecondCaptureIs409()
    {
        var (ann, annWallet, bob, bobWallet, hold) = await HoldAsync();
        var res = await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<TransferDto>())!.Status.ShouldBe("success");
        var a = await AccountAsync(ann, annWallet.Id);
        (a.Balance, a.Available).ShouldBe(("70.00", "70.00"));
        (await AccountAsync(bob, bobWallet.Id)).Balance.ShouldBe("30.00");

        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/illegal-state-transition");
        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/void", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Void_ReleasesTheHold()
    {
        var (ann, annWallet, bob, bobWallet, hold) = await HoldAsync();
        var res = await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/void", null);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<TransferDto>())!.Status.ShouldBe("voided");
        var a = await AccountAsync(ann, annWallet.Id);
        (a.Balance, a.Available).ShouldBe(("100.00", "100.00"));
        (await AccountAsync(bob, bobWallet.Id)).Balance.ShouldBe("0.00");
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task OnlyTheSenderEndsAHold()
    {
        var (_, _, bob, _, hold) = await HoldAsync();
        var carol = await App.RegisterAndSignInAsync();
        await (await bob.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await carol.Client.PostAsync($"/api/v1/transfers/{hold.Id}/void", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await carol.Client.PostAsync($"/api/v1/transfers/{Guid.NewGuid()}/void", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hold_ExpiresOnTime_AndReleasesTheMoney()
    {
        var (ann, annWallet, _, _, hold) = await HoldAsync(expiresInSeconds: 60);
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(400);
        (await ann.Client.GetFromJsonAsync<TransferDto>($"/api/v1/transfers/{hold.Id}"))!.Status.ShouldBe("pending");

        App.Clock.Advance(TimeSpan.FromSeconds(31));
        var expired = await Eventually.ReturnsAsync(
            async () => (await ann.Client.GetFromJsonAsync<TransferDto>($"/api/v1/transfers/{hold.Id}"))!,
            t => t.Status == "expired", "the hold to expire");
        expired.CompletedAt.ShouldNotBeNull();
        (await AccountAsync(ann, annWallet.Id)).Available.ShouldBe("100.00");
        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task ConcurrentCaptureAndVoid_OnlyOneWins()
    {
        var (ann, _, _, _, hold) = await HoldAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/{(i % 2 == 0 ? "capture" : "void")}", null)));
        results.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        results.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(7);
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30 * 24 * 3600 + 1)]
    public async Task Hold_WithBadExpiry_Is400(int seconds)
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        var res = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "1", hold = true, expiresInSeconds = seconds });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("expiresInSeconds");
    }
}
