using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Transfers;

/// <summary>
/// Model-based: a random sequence of transfers (by wallet id and by e-mail, to the right and the wrong
/// currency, to nobody), holds, captures, voids, suspensions and reactivations runs against the app and
/// against a small model of the contract. Every answer (status and problem type) and every balance must
/// match the model. The sequences come from fixed seeds, so the same sequences run on SQLite and on
/// PostgreSQL (each suite run) and both must give the model's outcomes: the one C# decision and the
/// PostgreSQL function that applies it agree.
/// </summary>
public sealed class TransferModelTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:Enabled"] = "false" };

    private sealed class Wallet(Guid id, int owner, string currency)
    {
        public Guid Id { get; } = id;
        public int Owner { get; } = owner;
        public string Currency { get; } = currency;
        public long Balance;
        public long Held;
    }

    private sealed record Hold(Guid Id, Wallet From, Wallet To, long Amount)
    {
        public string Status { get; set; } = "pending";
    }

    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(37)]
    public async Task RandomSequences_MatchTheModel(int seed)
    {
        var random = new Random(seed);
        var admin = await App.RegisterAndSignInAsync();
        var users = new List<SignedInUser>();
        var main = new List<Wallet>();
        var euro = new List<Wallet>();
        var suspended = new bool[3];
        for (var i = 0; i < 3; i++)
        {
            var u = await App.RegisterAndSignInAsync(currency: "USD");
            users.Add(u);
            var w = new Wallet((await PayTrackApp.MainWalletAsync(u)).Id, i, "USD") { Balance = 10_000 };
            await App.FundAsync(u.Id, w.Id, "100.00");
            main.Add(w);
            var e = (await (await u.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Euro", currency = "EUR" })).Content.ReadFromJsonAsync<AccountDto>())!;
            euro.Add(new Wallet(e.Id, i, "EUR"));
        }
        var holds = new List<Hold>();
        var clients = users.Select(u => u.Client).ToArray();

        for (var step = 0; step < 45; step++)
        {
            var active = Enumerable.Range(0, 3).Where(i => !suspended[i]).ToList();
            var roll = random.Next(100);
            string what;
            (int Status, string? Type) expected, actual;
            if (roll < 8)
            {
                // Suspend or reactivate someone (never the last active sender).
                var j = random.Next(3);
                if (suspended[j]) { suspended[j] = false; clients[j] = null!; }
                else if (active.Count > 1) suspended[j] = true;
                else continue;
                var verb = suspended[j] ? "suspend" : "reactivate";
                what = $"{verb} user {j}";
                expected = (200, null);
                actual = await OutcomeAsync(await admin.Client.PostAsync($"/api/v1/admin/users/{users[j].Id}/{verb}", null));
                if (!suspended[j]) clients[j] = App.Authorized((await App.SignInAsync(users[j].Email, users[j].Password)).AccessToken);
            }
            else if (roll < 25 && holds.Count > 0)
            {
                var h = holds[random.Next(holds.Count)];
                var capture = random.Next(2) == 0;
                what = $"{(capture ? "capture" : "void")} hold of {h.Amount} from {h.From.Owner} to {h.To.Owner}";
                if (suspended[h.From.Owner]) continue; // the sender cannot act while suspended
                if (h.Status != "pending") expected = (409, "/problems/illegal-state-transition");
                else if (capture && (suspended[h.From.Owner] || suspended[h.To.Owner])) expected = (422, "/problems/account-not-active");
                else
                {
                    expected = (200, null);
                    h.From.Held -= h.Amount;
                    if (capture) { h.From.Balance -= h.Amount; h.To.Balance += h.Amount; h.Status = "success"; }
                    else h.Status = "voided";
                }
                actual = await OutcomeAsync(await clients[h.From.Owner].PostAsync($"/api/v1/transfers/{h.Id}/{(capture ? "capture" : "void")}", null));
            }
            else
            {
                var i = active[random.Next(active.Count)];
                var from = main[i];
                var amount = (long)random.Next(1, 6_001);
                var hold = random.Next(4) == 0;
                var j = (i + 1 + random.Next(2)) % 3;
                var target = random.Next(10);
                object body;
                Wallet? to = null;
                if (target < 5) { to = main[j]; body = new { fromAccountId = from.Id, toAccountId = to.Id, amount = Amount(amount), hold }; }
                else if (target < 8) { to = main[j]; body = new { fromAccountId = from.Id, toEmail = users[j].Email, amount = Amount(amount), hold }; }
                else if (target < 9) { to = euro[j]; body = new { fromAccountId = from.Id, toAccountId = to.Id, amount = Amount(amount), hold }; }
                else body = new { fromAccountId = from.Id, toAccountId = Guid.NewGuid(), amount = Amount(amount), hold };
                what = $"send {amount} from {i} to {(to is null ? "nobody" : $"{to.Owner}/{to.Currency}")}{(target is >= 5 and < 8 ? " by e-mail" : "")}{(hold ? " on hold" : "")}";

                if (to is null) expected = (422, "/problems/recipient-not-found");
                else if (to.Currency != from.Currency) expected = (422, "/problems/currency-mismatch");
                else if (suspended[to.Owner]) expected = (422, "/problems/account-not-active");
                else if (from.Balance - from.Held < amount) expected = (422, "/problems/insufficient-funds");
                else
                {
                    expected = (201, null);
                    if (hold) from.Held += amount;
                    else { from.Balance -= amount; to.Balance += amount; }
                }
                var res = await PayTrackApp.PostIdempotentAsync(clients[i], "/api/v1/transfers", body);
                if (expected.Status == 201 && hold)
                    holds.Add(new Hold((await res.Content.ReadFromJsonAsync<TransferDto>())!.Id, from, to!, amount));
                actual = await OutcomeAsync(res);
            }
            actual.ShouldBe(expected, $"step {step}: {what}");
        }

        await using var db = App.Database.OpenContext();
        foreach (var w in main.Concat(euro))
        {
            var row = db.Accounts.Single(a => a.Id == w.Id);
            (row.BalanceMinor, row.HeldMinor).ShouldBe((w.Balance, w.Held), $"wallet of user {w.Owner} in {w.Currency}");
        }
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    private static string Amount(long minor) => (minor / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(int, string?)> OutcomeAsync(HttpResponseMessage res)
    {
        var status = (int)res.StatusCode;
        if (status < 400) return (status, null);
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        return (status, doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null);
    }
}
