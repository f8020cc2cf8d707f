using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

/// <summary>
/// Retries too: a receiver that never answers must not queue another user's webhook retries behind its timeouts.
/// The retry loop's rounds serve one webhook each, several side by side.
/// </summary>
public sealed class SlowReceiverRetriesTests : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();
    private readonly Tarpit _tarpit = new();
    private PayTrackApp _app = null!;

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync();
        _app = new PayTrackApp(await TestDatabase.CreateAsync(), new Dictionary<string, string?>
        {
            ["Outbox:PollIntervalMs"] = "50", ["RateLimits:Enabled"] = "false",
            ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:FirstAttemptTimeoutSeconds"] = "1", ["Webhooks:TimeoutSeconds"] = "3",
            ["Webhooks:RetryScale"] = "0.01", // retries 50 ms, then 3 s, … after a failure
        }, kestrel: true);
        _app.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
        _tarpit.Dispose();
    }

    /// <summary>Ann (funded) and Bob, with their main wallets.</summary>
    private async Task<(SignedInUser Ann, AccountDto AnnWallet, SignedInUser Bob, AccountDto BobWallet)> AnnAndBobAsync()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        await _app.FundAsync(ann.Id, annWallet.Id, "100.00");
        return (ann, annWallet, bob, await PayTrackApp.MainWalletAsync(bob));
    }

    [Fact]
    public async Task AReceiverThatNeverAnswers_DoesNotDelayAnotherUsersRetries()
    {
        var (ann, annWallet, bob, bobWallet) = await AnnAndBobAsync();
        (await ann.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = _tarpit.Url, events = new[] { "transfer.succeeded" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var good = await bob.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url, events = new[] { "transfer.succeeded" } });
        await good.ShouldHaveStatusAsync(HttpStatusCode.Created);
        _receiver.Secret = (await good.Content.ReadFromJsonAsync<CreatedWebhookDto>())!.Secret;
        // Bob's receiver fails every delivery's first attempt: each of his deliveries needs a retry.
        _receiver.Answer = (_, attempt) => attempt == 1 ? 500 : 200;

        // Both webhooks fail their first attempts: from then on their events go to the retry loop only, where
        // every attempt at Ann's receiver takes the full timeout (3 s here).
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "1.00");
        await Eventually.TrueAsync(() => Task.FromResult(_receiver.Requests.Any(r => r.Answered == 200)), TimeSpan.FromSeconds(15));

        for (var i = 2; i <= 6; i++)
        {
            var watch = Stopwatch.StartNew();
            await ann.SendAsync(annWallet.Id, bobWallet.Id, $"{i}.00");
            await Eventually.TrueAsync(() => Task.FromResult(_receiver.Requests.Count(r => r.Answered == 200) == i), TimeSpan.FromSeconds(15));
            // A failed attempt, a retry 50 ms later and a loop that looks every 250 ms: well under one of Ann's timeouts.
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(2500), $"transfer {i} was accepted by Bob's receiver after {watch.ElapsedMilliseconds} ms");
        }
        _receiver.Requests.ShouldAllBe(r => r.SignatureValid);
        _receiver.Requests.GroupBy(r => r.WebhookId).ShouldAllBe(g => g.Count(r => r.Answered == 200) == 1);
    }

    [Fact]
    public async Task AReceiverThatNeverAnswers_CostsARoundOneTimeout_TheRestAreNotSentAndSaySo()
    {
        var (ann, annWallet, bob, bobWallet) = await AnnAndBobAsync();
        var created = await ann.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = _tarpit.Url, events = new[] { "transfer.succeeded" } });
        await created.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var hookId = (await created.Content.ReadFromJsonAsync<CreatedWebhookDto>())!.Id;

        // The first event's short first attempt marks the webhook; the next twelve go straight to the retry loop.
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "1.00");
        await Eventually.TrueAsync(async () =>
        {
            await using var c = _app.Database.OpenContext();
            return await c.OutboxMessages.AsNoTracking().AnyAsync(m => m.Handler == "webhook-delivery");
        }, TimeSpan.FromSeconds(10));
        for (var i = 2; i <= 13; i++) await ann.SendAsync(annWallet.Id, bobWallet.Id, $"{i}.00");

        // A round of the retry loop makes at most four attempts at the webhook at once; once one of them got no
        // answer, the round's other deliveries to it are logged as not sent (and count as failed attempts).
        await Eventually.TrueAsync(async () =>
        {
            await using var c = _app.Database.OpenContext();
            return await c.WebhookDeliveries.AsNoTracking().AnyAsync(d => d.WebhookId == hookId && d.Error != null && d.Error.StartsWith("Not sent"));
        }, TimeSpan.FromSeconds(40));
        await using var ctx = _app.Database.OpenContext();
        var log = await ctx.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == hookId).ToListAsync();
        log.ShouldAllBe(d => d.StatusCode == null && d.NextAttemptAt != null); // nothing answered, everything will be tried again
        var skipped = log.First(d => d.Error!.StartsWith("Not sent"));
        skipped.DurationMs.ShouldBe(0);
        skipped.Error!.ShouldContain("timed out");
        // The delivery log in the API shows them too.
        var page = await ann.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/webhooks/{hookId}/deliveries?limit=100");
        page.GetProperty("items").EnumerateArray().ShouldContain(d => d.GetProperty("error").GetString()!.StartsWith("Not sent"));
    }
}
