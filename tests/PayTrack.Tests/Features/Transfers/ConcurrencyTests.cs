using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Transfers;

/// <summary>Many clients at once on a few hot accounts: nothing is overdrawn, lost, created or done twice.</summary>
public sealed class ConcurrencyTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:Enabled"] = "false" };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RandomTransfersAmongHotAccounts_ConserveMoneyAndNeverOverdraw(int seed)
    {
        var random = new Random(seed);
        var users = new List<(SignedInUser User, AccountDto Wallet)>();
        for (var i = 0; i < 4; i++)
        {
            var u = await App.RegisterAndSignInAsync();
            var w = await PayTrackApp.MainWalletAsync(u);
            await App.FundAsync(u.Id, w.Id, "100.00");
            users.Add((u, w));
        }

        // Each planned request: who sends, to whom, how much (often more than they have), and whether it is a retry of an earlier key.
        var plans = Enumerable.Range(0, 240).Select(i =>
        {
            var from = random.Next(users.Count);
            var to = (from + 1 + random.Next(users.Count - 1)) % users.Count;
            var amount = random.Next(1, 6000) / 100m;
            var hold = random.Next(10) == 0;
            return (From: from, To: to, Amount: amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), Hold: hold, Key: $"k{i}");
        }).ToList();
        var successes = new ConcurrentDictionary<string, Guid>();
        var outcomes = new ConcurrentBag<HttpStatusCode>();

        await Parallel.ForEachAsync(plans.Concat(plans.Where((_, i) => i % 5 == 0)), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (p, _) =>
        {
            var (user, wallet) = users[p.From];
            var res = await PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/transfers",
                new { fromAccountId = wallet.Id, toAccountId = users[p.To].Wallet.Id, amount = p.Amount, hold = p.Hold }, p.Key);
            outcomes.Add(res.StatusCode);
            if (res.StatusCode == HttpStatusCode.Created)
            {
                var t = (await res.Content.ReadFromJsonAsync<TransferDto>())!;
                successes.AddOrUpdate(p.Key, t.Id, (_, existing) => existing == t.Id ? existing : throw new ShouldAssertException($"key {p.Key} made two transfers"));
            }
        });

        outcomes.ShouldAllBe(s => s == HttpStatusCode.Created || s == HttpStatusCode.UnprocessableEntity || s == HttpStatusCode.Conflict);
        outcomes.ShouldContain(HttpStatusCode.UnprocessableEntity); // some overdraft attempts were refused
        outcomes.Count(s => s == HttpStatusCode.Created).ShouldBeGreaterThan(20);
        await LedgerInvariants.AssertHoldAsync(App.Database);

        // What the API reports adds up to what was funded.
        decimal total = 0;
        foreach (var (user, wallet) in users)
            total += decimal.Parse((await user.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Balance, System.Globalization.CultureInfo.InvariantCulture);
        total.ShouldBe(400.00m);

        await using var db = App.Database.OpenContext();
        db.Transfers.Count(t => t.Status == "success" || t.Status == "pending").ShouldBe(successes.Count);
    }
}
