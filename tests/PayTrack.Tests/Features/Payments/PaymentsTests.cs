using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Infrastructure.Payments;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Payments;

/// <summary>Deposits and withdrawals against the sandbox provider over real HTTP, callbacks included.</summary>
public sealed class PaymentsTests : IAsyncLifetime
{
    private PayTrackApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new PayTrackApp(await TestDatabase.CreateAsync(), new Dictionary<string, string?>
        {
            ["Payments:ReconcileAfterMs"] = "1500",
            ["Payments:AttemptTimeoutMs"] = "500",
            ["Payments:BreakerMinimumThroughput"] = "4",
            ["Payments:BreakerBreakSeconds"] = "2",
            ["RateLimits:Enabled"] = "false",
        }, kestrel: true);
        _app.StartServer();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private SandboxProvider Sandbox => _app.Services.GetRequiredService<SandboxProvider>();

    private async Task SetFaultsAsync(object faults)
    {
        using var http = new HttpClient();
        (await http.PostAsJsonAsync(Sandbox.BaseUrl + "/v1/_sandbox/faults", faults)).EnsureSuccessStatusCode();
    }

    private async Task<(SignedInUser User, AccountDto Wallet)> UserAsync(string? fund = null)
    {
        var user = await _app.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(user);
        if (fund is not null) await _app.FundAsync(user.Id, wallet.Id, fund);
        return (user, wallet);
    }

    private static async Task<PaymentDto> PostAsync(SignedInUser user, string path, object body, HttpStatusCode expected = HttpStatusCode.Created, string? key = null)
    {
        var res = await PayTrackApp.PostIdempotentAsync(user.Client, path, body, key);
        await res.ShouldHaveStatusAsync(expected);
        return (await res.Content.ReadFromJsonAsync<PaymentDto>())!;
    }

    private static Task<PaymentDto> SettledAsync(SignedInUser user, string kind, Guid id) =>
        Eventually.ReturnsAsync(async () => (await user.Client.GetFromJsonAsync<PaymentDto>($"/api/v1/{kind}/{id}"))!, p => p.Status != "pending", $"{kind} {id} to settle");

    private static async Task<AccountDto> WalletAsync(SignedInUser user, Guid id) => (await user.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{id}"))!;

    [Fact]
    public async Task Deposit_SettlesBySignedCallback_AndCreditsTheWallet()
    {
        var (user, wallet) = await UserAsync();
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "25.50" });
        deposit.Status.ShouldBe("pending");
        deposit.Amount.ShouldBe("25.50");
        var settled = await SettledAsync(user, "deposits", deposit.Id);
        settled.Status.ShouldBe("success");
        settled.CompletedAt.ShouldNotBeNull();
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("25.50");
        var entries = (await user.Client.GetFromJsonAsync<PageDto<EntryDto>>($"/api/v1/accounts/{wallet.Id}/entries"))!.Items;
        entries.ShouldHaveSingleItem().TransferId.ShouldBe(deposit.Id);
        await LedgerInvariants.AssertHoldAsync(_app.Database);
    }

    [Fact]
    public async Task Deposit_Declined_EndsFailedAndCreditsNothing()
    {
        var (user, wallet) = await UserAsync();
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "10", paymentMethod = "sandbox:decline" });
        var settled = await SettledAsync(user, "deposits", deposit.Id);
        settled.Status.ShouldBe("failed");
        settled.FailureReason.ShouldBe("card declined");
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("0.00");
    }

    [Fact]
    public async Task Deposit_WhenProviderUnavailable_RetriesThenFails_AndTheCircuitOpens()
    {
        var (user, wallet) = await UserAsync();
        var first = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "10", paymentMethod = "sandbox:unavailable" });
        first.Status.ShouldBe("failed");
        first.FailureReason!.ShouldContain("unavailable");
        // 1 try + 3 retries = 4 failures: the breaker (minimum throughput 4, ratio 0.5) is now open,
        // so the next deposit fails fast without reaching the provider.
        var second = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "10" });
        second.Status.ShouldBe("failed");
        second.FailureReason!.ShouldContain("circuit open");
        Sandbox.SubmitCount.ShouldBe(0);
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("0.00");
        await LedgerInvariants.AssertHoldAsync(_app.Database);
    }

    [Fact]
    public async Task Deposit_TransientProviderErrors_AreRetriedAndSucceed()
    {
        var (user, wallet) = await UserAsync();
        await SetFaultsAsync(new { failNextRequests = 2 });
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "7.00" });
        deposit.Status.ShouldBe("pending");
        (await SettledAsync(user, "deposits", deposit.Id)).Status.ShouldBe("success");
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("7.00");
    }

    [Fact]
    public async Task Deposit_WhenCallbackIsLost_TheReconcilerSettlesIt()
    {
        var (user, wallet) = await UserAsync();
        await SetFaultsAsync(new { dropCallbacks = true });
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "3.00" });
        (await SettledAsync(user, "deposits", deposit.Id)).Status.ShouldBe("success");
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("3.00");
    }

    [Fact]
    public async Task Deposit_DuplicateAndLateCallbacks_CreditOnce()
    {
        var (user, wallet) = await UserAsync();
        await SetFaultsAsync(new { duplicateCallbacks = true, callbackDelayMs = 2500 });
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "4.00" });
        // The reconciler settles it first (after 1.5 s); three late callbacks follow at 2.5 s.
        (await SettledAsync(user, "deposits", deposit.Id)).Status.ShouldBe("success");
        await Task.Delay(3000);
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("4.00");
        (await user.Client.GetFromJsonAsync<PageDto<EntryDto>>($"/api/v1/accounts/{wallet.Id}/entries"))!.Items.Count.ShouldBe(1);
        await LedgerInvariants.AssertHoldAsync(_app.Database);
    }

    [Fact]
    public async Task Deposit_WhenProviderTimesOut_IsNotFailed_AndTheReconcilerSettlesItOnce()
    {
        var (user, wallet) = await UserAsync();
        // Every answer comes after the 500 ms attempt timeout, and no callback comes at all:
        // PayTrack cannot know whether the provider took the payment, so it must not fail it.
        await SetFaultsAsync(new { slowResponseMs = 800, dropCallbacks = true });
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "9.00" });
        deposit.Status.ShouldBe("pending");
        await SetFaultsAsync(new { dropCallbacks = true });
        (await SettledAsync(user, "deposits", deposit.Id)).Status.ShouldBe("success");
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("9.00");
        Sandbox.SubmitCount.ShouldBe(1); // four attempts, one payment: the provider's idempotency key held
    }

    [Fact]
    public async Task Deposit_WhenAnAttemptTimesOutAndTheRetriesGet503_IsNotFailed()
    {
        var (user, wallet) = await UserAsync();
        // The first attempt reaches the provider (which takes the payment) but answers after the
        // 500 ms timeout; the three retries get 503. The 503s do not prove the provider never got
        // the payment, so it must stay pending until the reconciler (or the callback) settles it.
        await SetFaultsAsync(new { slowNextRequests = 1, failNextRequests = 3, dropCallbacks = true });
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "6.00" });
        deposit.Status.ShouldBe("pending");
        (await SettledAsync(user, "deposits", deposit.Id)).Status.ShouldBe("success");
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("6.00");
        Sandbox.SubmitCount.ShouldBe(1);
    }

    [Fact]
    public async Task Deposit_KeyIsStoredWithThePayment_BeforeTheProviderIsAsked()
    {
        var (user, wallet) = await UserAsync();
        // The provider answers slowly: while PayTrack waits for it, the key is already stored with the
        // payment (one transaction), so a crash now could not lead a retry to record a second payment.
        await SetFaultsAsync(new { slowNextRequests = 1 });
        var first = PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/deposits", new { accountId = wallet.Id, amount = "2.00" }, "slow-1");
        var stored = await Eventually.ReturnsAsync(async () =>
        {
            await using var db = _app.Database.OpenContext();
            return db.IdempotencyKeys.AsNoTracking().Where(k => k.UserId == user.Id && k.Key == "slow-1").Select(k => new { k.Status, k.ResponseBody }).FirstOrDefault();
        }, k => k is not null, "the key to be stored");
        first.IsCompleted.ShouldBeFalse("the provider has not answered yet");
        stored!.Status.ShouldBe("done");
        await using (var db = _app.Database.OpenContext())
        {
            var payment = db.Payments.AsNoTracking().Single(p => p.UserId == user.Id);
            stored.ResponseBody!.ShouldContain(payment.Id.ToString());
            stored.ResponseBody!.ShouldContain("\"pending\"");
        }
        // Meanwhile a duplicate is refused as in flight; afterwards it replays the final answer.
        await (await PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/deposits", new { accountId = wallet.Id, amount = "2.00" }, "slow-1"))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/idempotency-key-in-flight");
        var answer = await first;
        await answer.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var replay = await PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/deposits", new { accountId = wallet.Id, amount = "2.00" }, "slow-1");
        replay.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await replay.Content.ReadAsStringAsync()).ShouldBe(await answer.Content.ReadAsStringAsync());
        Sandbox.SubmitCount.ShouldBe(1);
    }

    [Fact]
    public async Task Deposit_IsIdempotent()
    {
        var (user, wallet) = await UserAsync();
        var first = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "5.00" }, key: "dep-1");
        var res = await PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/deposits", new { accountId = wallet.Id, amount = "5.00" }, "dep-1");
        res.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await res.Content.ReadFromJsonAsync<PaymentDto>())!.Id.ShouldBe(first.Id);
        await SettledAsync(user, "deposits", first.Id);
        await Task.Delay(300);
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("5.00");
        Sandbox.SubmitCount.ShouldBe(1);
    }

    [Fact]
    public async Task Withdrawal_HoldsAtOnce_ThenPostsOnSuccess()
    {
        var (user, wallet) = await UserAsync("50.00");
        var w = await PostAsync(user, "/api/v1/withdrawals", new { accountId = wallet.Id, amount = "20.00", destination = "IBAN DE00 1234" });
        if (w.Status == "pending")
        {
            var during = await WalletAsync(user, wallet.Id);
            during.Available.ShouldBe("30.00");
        }
        (await SettledAsync(user, "withdrawals", w.Id)).Status.ShouldBe("success");
        var after = await WalletAsync(user, wallet.Id);
        (after.Balance, after.Available).ShouldBe(("30.00", "30.00"));
        await LedgerInvariants.AssertHoldAsync(_app.Database);
    }

    [Fact]
    public async Task Withdrawal_Declined_ReleasesTheHold()
    {
        var (user, wallet) = await UserAsync("50.00");
        await SetFaultsAsync(new { dropCallbacks = true }); // settle only through the reconciler, so the hold can be seen
        var w = await PostAsync(user, "/api/v1/withdrawals", new { accountId = wallet.Id, amount = "20.00", destination = "sandbox:decline" });
        w.Status.ShouldBe("pending");
        var during = await WalletAsync(user, wallet.Id);
        (during.Balance, during.Available).ShouldBe(("50.00", "30.00"));
        await LedgerInvariants.AssertHoldAsync(_app.Database);

        var settled = await SettledAsync(user, "withdrawals", w.Id);
        settled.Status.ShouldBe("failed");
        settled.FailureReason.ShouldBe("destination rejected");
        var after = await WalletAsync(user, wallet.Id);
        (after.Balance, after.Available).ShouldBe(("50.00", "50.00"));
        await LedgerInvariants.AssertHoldAsync(_app.Database);
    }

    [Fact]
    public async Task Withdrawal_ToAMistypedIban_Is400AndHoldsNothing_AValidOneOrFreeTextIsTaken()
    {
        var (user, wallet) = await UserAsync("50.00");
        var res = await PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/withdrawals", new { accountId = wallet.Id, amount = "5.00", destination = "GB82 WEST 1234 5698 7654 33" });
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Errors!["destination"][0].ShouldContain("check digits");
        (await WalletAsync(user, wallet.Id)).Available.ShouldBe("50.00");

        (await PostAsync(user, "/api/v1/withdrawals", new { accountId = wallet.Id, amount = "5.00", destination = "GB82 WEST 1234 5698 7654 32" })).Status.ShouldBeOneOf("pending", "success");
        (await PostAsync(user, "/api/v1/withdrawals", new { accountId = wallet.Id, amount = "5.00", destination = "de89 3704 0044 0532 0130 00" })).Status.ShouldBeOneOf("pending", "success");
        (await PostAsync(user, "/api/v1/withdrawals", new { accountId = wallet.Id, amount = "5.00", destination = "My savings account at Example Bank" })).Status.ShouldBeOneOf("pending", "success");
    }

    [Fact]
    public async Task Withdrawal_MoreThanAvailable_Is422AndHoldsNothing()
    {
        var (user, wallet) = await UserAsync("5.00");
        var res = await PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/withdrawals", new { accountId = wallet.Id, amount = "5.01" });
        await res.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");
        (await WalletAsync(user, wallet.Id)).Available.ShouldBe("5.00");
    }

    [Fact]
    public async Task Payments_AreTheOwnersOnly_AndValidated()
    {
        var (ann, annWallet) = await UserAsync();
        var (bob, _) = await UserAsync();
        var d = await PostAsync(ann, "/api/v1/deposits", new { accountId = annWallet.Id, amount = "1" });
        await (await bob.Client.GetAsync($"/api/v1/deposits/{d.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await ann.Client.GetAsync($"/api/v1/withdrawals/{d.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await PayTrackApp.PostIdempotentAsync(bob.Client, "/api/v1/deposits", new { accountId = annWallet.Id, amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/deposits", new { accountId = annWallet.Id, amount = "1.001" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await ann.Client.PostAsJsonAsync("/api/v1/deposits", new { accountId = annWallet.Id, amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Callback_WithBadOrOldSignature_IsRefusedAndChangesNothing()
    {
        var (user, wallet) = await UserAsync();
        await SetFaultsAsync(new { dropCallbacks = true });
        var deposit = await PostAsync(user, "/api/v1/deposits", new { accountId = wallet.Id, amount = "8.00" });
        var body = $$"""{"id":"x","reference":"{{deposit.Id}}","status":"success","reason":null}""";
        var client = _app.Anonymous();

        var forged = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/callback") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        forged.Headers.Add(CallbackSigner.Header, new CallbackSigner(new byte[32]).Sign(body, DateTimeOffset.UtcNow));
        await (await client.SendAsync(forged)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "/problems/invalid-signature");

        var signer = _app.Services.GetRequiredService<CallbackSigner>();
        var old = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/callback") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        old.Headers.Add(CallbackSigner.Header, signer.Sign(body, DateTimeOffset.UtcNow.AddMinutes(-10)));
        await (await client.SendAsync(old)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        var unsigned = await client.PostAsync("/api/v1/payments/callback", new StringContent(body, Encoding.UTF8, "application/json"));
        await unsigned.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await user.Client.GetFromJsonAsync<PaymentDto>($"/api/v1/deposits/{deposit.Id}"))!.Status.ShouldBe("pending");

        var good = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/callback") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        good.Headers.Add(CallbackSigner.Header, signer.Sign(body, DateTimeOffset.UtcNow));
        (await client.SendAsync(good)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WalletAsync(user, wallet.Id)).Balance.ShouldBe("8.00");
    }
}
