using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

/// <summary>
/// One user's webhook receiver that accepts connections and never answers must not hold up anyone else's
/// webhooks or notifications: after one short first attempt it gets its events from the retry loop only.
/// </summary>
public sealed class SlowReceiverTests : IAsyncLifetime
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
            ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:FirstAttemptTimeoutSeconds"] = "3", ["Webhooks:TimeoutSeconds"] = "5",
            ["Webhooks:RetryScale"] = "0.01", // the retry loop keeps trying the tarpit (5 s → 50 ms, 5 min → 3 s)
        }, kestrel: true);
        _app.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
        _tarpit.Dispose();
    }

    [Fact]
    public async Task AReceiverThatNeverAnswers_HoldsUpNobodyElsesWebhooksOrNotifications()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await _app.FundAsync(ann.Id, annWallet.Id, "100.00");
        var slow = await ann.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = _tarpit.Url, events = new[] { "transfer.succeeded" } });
        await slow.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var good = await bob.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url, events = new[] { "transfer.succeeded" } });
        await good.ShouldHaveStatusAsync(HttpStatusCode.Created);
        _receiver.Secret = (await good.Content.ReadFromJsonAsync<CreatedWebhookDto>())!.Secret;

        // The first event meets the tarpit in its round: the round waits for the short first attempt (3 s here) only.
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "1.00");
        await Eventually.TrueAsync(() => Task.FromResult(_receiver.Requests.Count == 1), TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => // that round is over once the tarpit's delivery is queued for the retry loop
        {
            await using var c = _app.Database.OpenContext();
            return await c.OutboxMessages.AsNoTracking().AnyAsync(m => m.Handler == "webhook-delivery");
        }, TimeSpan.FromSeconds(10));

        // From then on the tarpit's events go to the retry loop: Bob's arrive as if it were not there.
        for (var i = 2; i <= 4; i++)
        {
            var watch = Stopwatch.StartNew();
            await ann.SendAsync(annWallet.Id, bobWallet.Id, $"{i}.00");
            await Eventually.TrueAsync(() => Task.FromResult(_receiver.Requests.Count == i), TimeSpan.FromSeconds(10));
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(2000), $"transfer {i} reached Bob's receiver after {watch.ElapsedMilliseconds} ms");
        }
        (await bob.Client.WaitForNotificationsAsync(4, "transfer.received")).Count.ShouldBe(4);
        _receiver.Requests.ShouldAllBe(r => r.SignatureValid);

        // The tarpit's deliveries are all queued for the retry loop, and the log shows its timed-out attempts.
        await using var ctx = _app.Database.OpenContext();
        var queued = await ctx.OutboxMessages.AsNoTracking().Where(m => m.Handler == "webhook-delivery").ToListAsync();
        queued.Count.ShouldBe(4);
        await Eventually.TrueAsync(async () =>
        {
            await using var c = _app.Database.OpenContext();
            return await c.WebhookDeliveries.AsNoTracking().CountAsync(d => d.Error == "timed out") >= 2;
        }, TimeSpan.FromSeconds(20));
    }
}
