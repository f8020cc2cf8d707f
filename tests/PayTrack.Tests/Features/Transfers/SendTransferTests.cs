using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Transfers;

public sealed class SendTransferTests : ApiTest
{
    private async Task<(SignedInUser Ann, AccountDto AnnWallet, SignedInUser Bob, AccountDto BobWallet)> TwoUsersAsync(string fund = "100.00")
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, fund);
        return (ann, annWallet, bob, bobWallet);
    }

    private static Task<HttpResponseMessage> Send(SignedInUser who, object body, string? key = null) =>
        PayTrackApp.PostIdempotentAsync(who.Client, "/api/v1/transfers", body, key);

    private static async Task<string> BalanceAsync(SignedInUser who, Guid account) =>
        (await who.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{account}"))!.Balance;

    [Fact]
    public async Task Send_ToAccount_MovesMoneyAtomically()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync();
        var res = await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = 12.34, description = "lunch" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var t = (await res.Content.ReadFromJsonAsync<TransferDto>())!;
        t.Status.ShouldBe("success");
        t.Amount.ShouldBe("12.34");
        t.Currency.ShouldBe("USD");
        t.CompletedAt.ShouldNotBeNull();
        (await BalanceAsync(ann, annWallet.Id)).ShouldBe("87.66");
        (await BalanceAsync(bob, bobWallet.Id)).ShouldBe("12.34");
        (await bob.Client.GetFromJsonAsync<TransferDto>($"/api/v1/transfers/{t.Id}"))!.Id.ShouldBe(t.Id);
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Send_ToEmail_PicksTheRecipientsMainWalletInThatCurrency()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync();
        await bob.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Another", currency = "USD" });
        var res = await Send(ann, new { fromAccountId = annWallet.Id, toEmail = bob.Email.ToUpperInvariant(), amount = "5" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        (await res.Content.ReadFromJsonAsync<TransferDto>())!.ToAccountId.ShouldBe(bobWallet.Id);
        (await BalanceAsync(bob, bobWallet.Id)).ShouldBe("5.00");
    }

    [Fact]
    public async Task Send_WhenFundsInsufficient_Returns422AndKeepsBalancesAndAFailedTransfer()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync("10.00");
        var res = await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "10.01" });
        await res.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");
        using var body = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        var transferId = body.RootElement.GetProperty("transferId").GetGuid();
        var failed = (await ann.Client.GetFromJsonAsync<TransferDto>($"/api/v1/transfers/{transferId}"))!;
        failed.Status.ShouldBe("failed");
        failed.FailureReason.ShouldBe("insufficient funds");
        (await BalanceAsync(ann, annWallet.Id)).ShouldBe("10.00");
        (await BalanceAsync(bob, bobWallet.Id)).ShouldBe("0.00");
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Send_Refusals_HaveTheirStatusAndChangeNothing()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync();
        var euro = (await (await bob.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Euro", currency = "EUR" })).Content.ReadFromJsonAsync<AccountDto>())!;

        await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = euro.Id, amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/currency-mismatch");
        await (await Send(ann, new { fromAccountId = annWallet.Id, toEmail = "nobody@example.com", amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/recipient-not-found");
        await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = Guid.NewGuid(), amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/recipient-not-found");
        await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = annWallet.Id, amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await Send(ann, new { fromAccountId = bobWallet.Id, toAccountId = annWallet.Id, amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, toEmail = bob.Email, amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        foreach (var amount in new object[] { "1.234", "-5", 0, "abc" })
        {
            var p = await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            p.Errors!.ShouldContainKey("amount");
        }
        var noKey = await ann.Client.PostAsJsonAsync("/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "1" });
        (await noKey.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey("Idempotency-Key");

        (await BalanceAsync(ann, annWallet.Id)).ShouldBe("100.00");
        (await BalanceAsync(bob, bobWallet.Id)).ShouldBe("0.00");
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Send_ToASuspendedRecipient_Returns422()
    {
        var admin = await App.RegisterAndSignInAsync();
        var (ann, annWallet, bob, _) = await TwoUsersAsync();
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{bob.Id}/suspend", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await Send(ann, new { fromAccountId = annWallet.Id, toEmail = bob.Email, amount = "1" })).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/account-not-active");
    }

    [Fact]
    public async Task Transfer_IsVisibleOnlyToSenderAndRecipient()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync();
        var carol = await App.RegisterAndSignInAsync();
        var t = (await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "1" })).Content.ReadFromJsonAsync<TransferDto>())!;
        (await ann.Client.GetAsync($"/api/v1/transfers/{t.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bob.Client.GetAsync($"/api/v1/transfers/{t.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await carol.Client.GetAsync($"/api/v1/transfers/{t.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await carol.Client.GetFromJsonAsync<PageDto<TransferDto>>("/api/v1/transfers"))!.Items.ShouldBeEmpty();
        (await bob.Client.GetFromJsonAsync<PageDto<TransferDto>>("/api/v1/transfers"))!.Items.ShouldHaveSingleItem().Id.ShouldBe(t.Id);
        await (await carol.Client.GetAsync($"/api/v1/transfers?accountId={annWallet.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListTransfers_FiltersByStatusAndAccount_NewestFirst()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync("5.00");
        var ok1 = (await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "1" })).Content.ReadFromJsonAsync<TransferDto>())!;
        await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "50" });
        var ok2 = (await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "2" })).Content.ReadFromJsonAsync<TransferDto>())!;

        var success = (await ann.Client.GetFromJsonAsync<PageDto<TransferDto>>("/api/v1/transfers?status=success"))!.Items;
        success.Select(t => t.Id).ShouldBe([ok2.Id, ok1.Id]);
        (await ann.Client.GetFromJsonAsync<PageDto<TransferDto>>("/api/v1/transfers?status=failed"))!.Items.ShouldHaveSingleItem();
        (await ann.Client.GetFromJsonAsync<PageDto<TransferDto>>($"/api/v1/transfers?accountId={annWallet.Id}&limit=2"))!.NextCursor.ShouldNotBeNull();
        await (await ann.Client.GetAsync("/api/v1/transfers?status=bogus")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ListTransfers_PagesThroughSentReceivedAndOwnWalletTransfers_EachOnceNewestFirst()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync("50.00");
        await App.FundAsync(bob.Id, bobWallet.Id, "50.00");
        var pocket = (await (await ann.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Pocket", currency = "USD" })).Content.ReadFromJsonAsync<AccountDto>())!;
        var made = new List<Guid>();
        async Task SendAsync(SignedInUser who, object body) =>
            made.Add((await (await Send(who, body)).Content.ReadFromJsonAsync<TransferDto>())!.Id);
        for (var i = 1; i <= 3; i++)
        {
            await SendAsync(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = $"{i}" });   // sent
            await SendAsync(bob, new { fromAccountId = bobWallet.Id, toAccountId = annWallet.Id, amount = $"{i}" });   // received
            await SendAsync(ann, new { fromAccountId = annWallet.Id, toAccountId = pocket.Id, amount = $"{i}" });      // between her own wallets
        }
        await SendAsync(ann, new { fromAccountId = pocket.Id, toAccountId = annWallet.Id, amount = "1" });

        async Task<List<Guid>> AllPagesAsync(string path)
        {
            var seen = new List<Guid>();
            string? cursor = null;
            do
            {
                var page = (await ann.Client.GetFromJsonAsync<PageDto<TransferDto>>(path + (path.Contains('?') ? "&" : "?") + "limit=2" + (cursor is null ? "" : $"&cursor={cursor}")))!;
                page.Items.Count.ShouldBeLessThanOrEqualTo(2);
                seen.AddRange(page.Items.Select(t => t.Id));
                cursor = page.NextCursor;
            } while (cursor is not null);
            return seen;
        }

        // Newest first is id order (time-ordered ids; two made in the same millisecond keep their ids' order).
        List<Guid> NewestFirst(IEnumerable<Guid> ids) => ids.OrderByDescending(id => id.ToString(), StringComparer.Ordinal).ToList();
        // Everything Ann sent or received, each once (a transfer between her own wallets too).
        (await AllPagesAsync("/api/v1/transfers")).ShouldBe(NewestFirst(made));
        // One wallet: what left it and what came in.
        (await AllPagesAsync($"/api/v1/transfers?accountId={pocket.Id}")).ShouldBe(NewestFirst(made.Where((_, j) => j % 3 == 2 || j == made.Count - 1)));
        // Bob sees only the transfers with him.
        var bobs = (await bob.Client.GetFromJsonAsync<PageDto<TransferDto>>("/api/v1/transfers?limit=100"))!.Items.Select(t => t.Id).ToList();
        bobs.ShouldBe(NewestFirst(made.Where((_, j) => j % 3 != 2 && j != made.Count - 1)));
    }

    [Fact]
    public async Task Batch_EachItemSucceedsOrFailsOnItsOwn()
    {
        var (ann, annWallet, bob, bobWallet) = await TwoUsersAsync("10.00");
        var res = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers/batch", new
        {
            transfers = new object[]
            {
                new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "6.00" },
                new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "6.00" }, // only 4 left
                new { fromAccountId = annWallet.Id, toEmail = "nobody@example.com", amount = "1" },
                new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "1.001" },
                new { fromAccountId = annWallet.Id, toEmail = bob.Email, amount = "4.00" },
            },
        });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("status").GetInt32()).ShouldBe([201, 422, 422, 400, 201]);
        results.Select(r => r.GetProperty("index").GetInt32()).ShouldBe([0, 1, 2, 3, 4]);
        results[1].GetProperty("transfer").GetProperty("status").GetString().ShouldBe("failed");
        results[1].GetProperty("problem").GetProperty("type").GetString().ShouldBe("/problems/insufficient-funds");
        (await BalanceAsync(ann, annWallet.Id)).ShouldBe("0.00");
        (await BalanceAsync(bob, bobWallet.Id)).ShouldBe("10.00");
        await LedgerInvariants.AssertHoldAsync(App.Database);

        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers/batch", new { transfers = Array.Empty<object>() })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
