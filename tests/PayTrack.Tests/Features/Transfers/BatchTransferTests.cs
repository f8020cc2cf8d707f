using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Transfers;

/// <summary>
/// POST /transfers/batch decides every item in turn on the running balances and writes them all at once:
/// each item must end exactly as it would have alone, one after the other.
/// </summary>
public sealed class BatchTransferTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:Enabled"] = "false" };

    private static async Task<List<JsonElement>> ResultsAsync(HttpResponseMessage res)
    {
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("results").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static Task<HttpResponseMessage> BatchAsync(SignedInUser who, IEnumerable<object> items, string? key = null) =>
        PayTrackApp.PostIdempotentAsync(who.Client, "/api/v1/transfers/batch", new { transfers = items.ToArray() }, key);

    private static async Task<AccountDto> AccountAsync(SignedInUser who, Guid id) => (await who.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{id}"))!;

    private static Guid TransferId(JsonElement result) => result.GetProperty("transfer").GetProperty("id").GetGuid();

    /// <summary>Each transfer's postings, by account: amount and balance after, read from the database.</summary>
    private async Task<Dictionary<Guid, Dictionary<Guid, (long Amount, long After)>>> PostingsByTransferAsync()
    {
        await using var db = App.Database.OpenContext();
        var rows = await db.Postings.AsNoTracking()
            .Join(db.JournalEntries.AsNoTracking().Where(e => e.Kind == "transfer"), p => p.EntryId, e => e.Id, (p, e) => new { e.ReferenceId, p.AccountId, p.AmountMinor, p.BalanceAfterMinor })
            .ToListAsync();
        return rows.GroupBy(r => r.ReferenceId).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.AccountId, r => (r.AmountMinor, r.BalanceAfterMinor)));
    }

    [Fact]
    public async Task Batch_ThatOverdrawsPartWay_RefusesOnlyTheItemsTheRunningBalanceCannotPay()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "10.00");
        string[] amounts = ["3.00", "4.00", "5.00", "2.00", "1.50", "1.00", "0.01"];

        var results = await ResultsAsync(await BatchAsync(ann, amounts.Select(a => new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = a, description = "item " + a })));

        results.Select(r => r.GetProperty("status").GetInt32()).ShouldBe([201, 201, 422, 201, 422, 201, 422]);
        results.Select(r => r.GetProperty("transfer").GetProperty("status").GetString()).ShouldBe(["success", "success", "failed", "success", "failed", "success", "failed"]);
        foreach (var (index, available) in new[] { (2, "3.00"), (4, "1.00"), (6, "0.00") })
        {
            var r = results[index];
            r.GetProperty("transfer").GetProperty("failureReason").GetString().ShouldBe("insufficient funds");
            r.GetProperty("problem").GetProperty("type").GetString().ShouldBe("/problems/insufficient-funds");
            r.GetProperty("problem").GetProperty("detail").GetString().ShouldBe($"The wallet has {available} USD available; {amounts[index]} USD was asked for.");
            r.GetProperty("problem").GetProperty("transferId").GetGuid().ShouldBe(TransferId(r));
        }
        (await AccountAsync(ann, annWallet.Id)).Balance.ShouldBe("0.00");
        (await AccountAsync(bob, bobWallet.Id)).Balance.ShouldBe("10.00");

        // Each posting carries the balance its own transfer left, in the order of the batch.
        var postings = await PostingsByTransferAsync();
        var ok = new[] { 0, 1, 3, 5 };
        ok.Select(i => postings[TransferId(results[i])][annWallet.Id]).ShouldBe([(-300L, 700L), (-400L, 300L), (-200L, 100L), (-100L, 0L)]);
        ok.Select(i => postings[TransferId(results[i])][bobWallet.Id]).ShouldBe([(300L, 300L), (400L, 700L), (200L, 900L), (100L, 1000L)]);
        foreach (var i in new[] { 2, 4, 6 }) postings.ShouldNotContainKey(TransferId(results[i]));

        // The rows kept are the ones the API reported, and each has its one audit event.
        await using var db = App.Database.OpenContext();
        var ids = results.Select(TransferId).ToList();
        var stored = await db.Transfers.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id);
        stored.Count.ShouldBe(amounts.Length);
        foreach (var (r, i) in results.Select((r, i) => (r, i)))
        {
            var t = stored[TransferId(r)];
            t.Status.ShouldBe(r.GetProperty("transfer").GetProperty("status").GetString());
            t.Description.ShouldBe("item " + amounts[i]);
            t.AmountMinor.ShouldBe((long)(decimal.Parse(amounts[i], CultureInfo.InvariantCulture) * 100));
            t.FromUserId.ShouldBe(ann.Id);
            t.ToUserId.ShouldBe(bob.Id);
            t.CompletedAt.ShouldNotBeNull();
        }
        var events = await db.AuditEvents.AsNoTracking().Where(e => ids.Contains(e.EntityId)).ToListAsync();
        events.Count.ShouldBe(amounts.Length);
        foreach (var e in events)
        {
            var t = stored[e.EntityId];
            e.Event.ShouldBe(t.Status == "success" ? "transfer.completed" : "transfer.failed");
            (e.ActorId, e.UserId, e.EntityType).ShouldBe((ann.Id, ann.Id, "transfer"));
            using var data = JsonDocument.Parse(e.Data);
            data.RootElement.GetProperty("status").GetString().ShouldBe(t.Status);
            data.RootElement.GetProperty("amount").GetString().ShouldBe(amounts[ids.IndexOf(t.Id)]);
            data.RootElement.GetProperty("from").GetGuid().ShouldBe(annWallet.Id);
            data.RootElement.GetProperty("to").GetGuid().ShouldBe(bobWallet.Id);
        }
        // Audit ids follow the order of the batch, so the sealed chain reads in it.
        events.OrderBy(e => e.Id).Select(e => e.EntityId).ShouldBe(ids);
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Batch_MixingHoldsImmediateTransfersAndAClosedWallet_DecidesEachOnTheRunningAvailable()
    {
        var admin = await App.RegisterAndSignInAsync();
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var carol = await App.RegisterAndSignInAsync();
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        var carolWallet = await PayTrackApp.MainWalletAsync(carol);
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{carol.Id}/close", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await App.FundAsync(ann.Id, annWallet.Id, "100.00");

        var results = await ResultsAsync(await BatchAsync(ann,
        [
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "30.00", hold = true, expiresInSeconds = (int?)600 },
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "50.00", hold = false, expiresInSeconds = (int?)null },
            new { fromAccountId = annWallet.Id, toAccountId = carolWallet.Id, amount = "1.00", hold = false, expiresInSeconds = (int?)null },
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "25.00", hold = true, expiresInSeconds = (int?)null },
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "15.00", hold = true, expiresInSeconds = (int?)null },
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "5.00", hold = false, expiresInSeconds = (int?)null },
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "0.01", hold = false, expiresInSeconds = (int?)null },
        ]));

        results.Select(r => r.GetProperty("status").GetInt32()).ShouldBe([201, 201, 422, 422, 201, 201, 422]);
        results.Select(r => r.GetProperty("transfer").GetProperty("status").GetString()).ShouldBe(["pending", "success", "failed", "failed", "pending", "success", "failed"]);
        results[2].GetProperty("problem").GetProperty("type").GetString().ShouldBe("/problems/account-not-active");
        results[2].GetProperty("transfer").GetProperty("failureReason").GetString().ShouldBe("account not active");
        results[3].GetProperty("problem").GetProperty("detail").GetString().ShouldBe("The wallet has 20.00 USD available; 25.00 USD was asked for.");
        results[6].GetProperty("problem").GetProperty("detail").GetString().ShouldBe("The wallet has 0.00 USD available; 0.01 USD was asked for.");
        var firstHold = results[0].GetProperty("transfer");
        (firstHold.GetProperty("expiresAt").GetDateTime() - firstHold.GetProperty("createdAt").GetDateTime()).ShouldBe(TimeSpan.FromSeconds(600));
        var secondHold = results[4].GetProperty("transfer");
        (secondHold.GetProperty("expiresAt").GetDateTime() - secondHold.GetProperty("createdAt").GetDateTime()).ShouldBe(TimeSpan.FromDays(7));

        var a = await AccountAsync(ann, annWallet.Id);
        (a.Balance, a.Available).ShouldBe(("45.00", "0.00"));
        (await AccountAsync(bob, bobWallet.Id)).Balance.ShouldBe("55.00");
        var postings = await PostingsByTransferAsync();
        postings[TransferId(results[1])][annWallet.Id].ShouldBe((-5000L, 5000L));
        postings[TransferId(results[5])][annWallet.Id].ShouldBe((-500L, 4500L));
        postings[TransferId(results[5])][bobWallet.Id].ShouldBe((500L, 5500L));
        postings.ShouldNotContainKey(TransferId(results[0])); // a hold posts nothing until captured
        await using (var db = App.Database.OpenContext())
        {
            var held = await db.AuditEvents.AsNoTracking().Where(e => e.Event == "transfer.held").Select(e => e.EntityId).ToListAsync();
            held.OrderBy(x => x).ShouldBe(new[] { TransferId(results[0]), TransferId(results[4]) }.OrderBy(x => x));
        }
        await LedgerInvariants.AssertHoldAsync(App.Database);

        // The holds a batch made end like any other.
        await (await ann.Client.PostAsync($"/api/v1/transfers/{TransferId(results[0])}/capture", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await ann.Client.PostAsync($"/api/v1/transfers/{TransferId(results[4])}/void", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        a = await AccountAsync(ann, annWallet.Id);
        (a.Balance, a.Available).ShouldBe(("15.00", "15.00"));
        (await AccountAsync(bob, bobWallet.Id)).Balance.ShouldBe("85.00");
        (await PostingsByTransferAsync())[TransferId(results[0])][bobWallet.Id].ShouldBe((3000L, 8500L));
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Batch_TouchingManyAccounts_EndsEachItemAsDecidingThemOneAfterTheOther(int seed)
    {
        var random = new Random(seed);
        var ann = await App.RegisterAndSignInAsync();
        var senders = new List<Guid> { (await PayTrackApp.MainWalletAsync(ann)).Id };
        for (var i = 0; i < 3; i++)
            senders.Add((await (await ann.Client.PostAsJsonAsync("/api/v1/accounts", new { name = $"Pocket {i}", currency = "USD" })).Content.ReadFromJsonAsync<AccountDto>())!.Id);
        var recipients = new List<(SignedInUser Owner, Guid Wallet)>();
        for (var u = 0; u < 8; u++)
        {
            var user = await App.RegisterAndSignInAsync();
            recipients.Add((user, (await PayTrackApp.MainWalletAsync(user)).Id));
            var second = await user.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Second", currency = "USD" });
            recipients.Add((user, (await second.Content.ReadFromJsonAsync<AccountDto>())!.Id));
        }
        // The model: balance and held per wallet, in minor units.
        var balance = new Dictionary<Guid, long>();
        var held = new Dictionary<Guid, long>();
        foreach (var s in senders)
        {
            var funded = random.Next(0, 5000);
            if (funded > 0) await App.FundAsync(ann.Id, s, (funded / 100m).ToString("0.00", CultureInfo.InvariantCulture));
            (balance[s], held[s]) = (funded, 0);
        }
        foreach (var (_, w) in recipients) (balance[w], held[w]) = (0, 0);

        var destinations = senders.Concat(recipients.Select(r => r.Wallet)).ToList();
        var items = new List<(Guid From, Guid To, long Amount, bool Hold)>();
        for (var i = 0; i < 300; i++)
        {
            var from = senders[random.Next(senders.Count)];
            var to = destinations[random.Next(destinations.Count)];
            if (to == from) to = recipients[random.Next(recipients.Count)].Wallet;
            items.Add((from, to, random.Next(1, 1500), random.Next(5) == 0));
        }

        var results = await ResultsAsync(await BatchAsync(ann, items.Select(x => (object)new
        {
            fromAccountId = x.From, toAccountId = x.To, amount = (x.Amount / 100m).ToString("0.00", CultureInfo.InvariantCulture), hold = x.Hold,
        })));

        results.Count.ShouldBe(items.Count);
        var postings = await PostingsByTransferAsync();
        await using var db = App.Database.OpenContext();
        var stored = await db.Transfers.AsNoTracking().ToDictionaryAsync(t => t.Id);
        var refused = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var (from, to, amount, hold) = items[i];
            var r = results[i];
            r.GetProperty("index").GetInt32().ShouldBe(i);
            var id = TransferId(r);
            var available = balance[from] - held[from];
            if (available < amount)
            {
                refused++;
                r.GetProperty("status").GetInt32().ShouldBe(422, $"item {i}");
                r.GetProperty("problem").GetProperty("detail").GetString().ShouldBe(
                    $"The wallet has {(available / 100m).ToString("0.00", CultureInfo.InvariantCulture)} USD available; {(amount / 100m).ToString("0.00", CultureInfo.InvariantCulture)} USD was asked for.", $"item {i}");
                stored[id].Status.ShouldBe("failed");
                postings.ShouldNotContainKey(id);
            }
            else if (hold)
            {
                r.GetProperty("status").GetInt32().ShouldBe(201, $"item {i}");
                stored[id].Status.ShouldBe("pending");
                held[from] += amount;
                postings.ShouldNotContainKey(id);
            }
            else
            {
                r.GetProperty("status").GetInt32().ShouldBe(201, $"item {i}");
                stored[id].Status.ShouldBe("success");
                balance[from] -= amount;
                balance[to] += amount;
                postings[id].Count.ShouldBe(2);
                postings[id][from].ShouldBe((-amount, balance[from]), $"item {i}");
                postings[id][to].ShouldBe((amount, balance[to]), $"item {i}");
            }
            stored[id].FromAccountId.ShouldBe(from);
            stored[id].ToAccountId.ShouldBe(to);
            stored[id].AmountMinor.ShouldBe(amount);
        }
        refused.ShouldBeGreaterThan(0); // the plan overdraws some wallets part-way
        refused.ShouldBeLessThan(items.Count);

        var accounts = await db.Accounts.AsNoTracking().Where(x => balance.Keys.Contains(x.Id)).ToListAsync();
        accounts.Count.ShouldBe(balance.Count);
        foreach (var account in accounts) (account.BalanceMinor, account.HeldMinor).ShouldBe((balance[account.Id], held[account.Id]), $"account {account.Name} {account.Id}");
        (await db.AuditEvents.AsNoTracking().CountAsync(e => e.EntityType == "transfer")).ShouldBe(items.Count);
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Batch_ReplayedWithTheSameKey_AnswersTheSameAndBooksOnce()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "10.00");
        object[] items =
        [
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "6.00" },
            new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "6.00" },
        ];

        var first = await BatchAsync(ann, items, "batch-key");
        var firstBody = await first.Content.ReadAsStringAsync();
        var again = await BatchAsync(ann, items, "batch-key");
        await again.ShouldHaveStatusAsync(HttpStatusCode.OK);
        again.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await again.Content.ReadAsStringAsync()).ShouldBe(firstBody);
        await (await BatchAsync(ann, items.Take(1), "batch-key")).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/idempotency-key-reused");

        (await AccountAsync(ann, annWallet.Id)).Balance.ShouldBe("4.00");
        await using var db = App.Database.OpenContext();
        (await db.Transfers.CountAsync()).ShouldBe(2);
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }
}
