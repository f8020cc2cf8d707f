using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

/// <summary>An instance that stops between the commit and the delivery loses nothing: after a restart each notification, e-mail and webhook goes out once.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();
    private readonly WebhookReceiver _receiver = new();
    private TestDatabase _database = null!;
    private readonly List<PayTrackApp> _apps = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await _smtp.StartAsync();
        await _receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await _database.DisposeAsync();
        await _smtp.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private PayTrackApp Start(bool deliver)
    {
        var app = new PayTrackApp(_database, new Dictionary<string, string?>
        {
            ["Outbox:Enabled"] = deliver ? "true" : "false", ["Outbox:PollIntervalMs"] = "50", ["RateLimits:Enabled"] = "false",
            ["Email:Mode"] = "smtp", ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Webhooks:AllowPrivateNetworks"] = "true",
        }, ownsDatabase: false);
        _apps.Add(app);
        _ = app.Server;
        return app;
    }

    [Fact]
    public async Task EventsCommittedBeforeAStop_AreDeliveredOnceAfterRestart()
    {
        var first = Start(deliver: false);
        var ann = await first.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await first.RegisterAndSignInAsync(displayName: "Bob");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        var hook = await bob.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url, events = new[] { "transfer.succeeded" } });
        await hook.ShouldHaveStatusAsync(HttpStatusCode.Created);
        _receiver.Secret = (await hook.Content.ReadFromJsonAsync<CreatedWebhookDto>())!.Secret;
        await first.FundAsync(ann.Id, annWallet.Id, "30.00");
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "8.00");
        await first.DisposeAsync(); // committed, nothing delivered
        _apps.Remove(first);
        _smtp.Messages.ShouldBeEmpty();
        _receiver.Requests.ShouldBeEmpty();

        var second = Start(deliver: true);
        var bobAgain = second.Authorized((await second.SignInAsync(bob.Email, bob.Password)).AccessToken);
        await Eventually.TrueAsync(async () => (await bobAgain.NotificationsAsync()).Count == 1 && _smtp.To(bob.Email).Count == 1 && _receiver.Requests.Count == 1);
        await Eventually.TrueAsync(async () =>
        {
            await using var ctx = _database.OpenContext();
            return await ctx.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Done);
        });
        await Task.Delay(500);
        (await bobAgain.NotificationsAsync()).ShouldHaveSingleItem().Title.ShouldBe("You received 8.00 USD");
        _smtp.To(bob.Email).ShouldHaveSingleItem().Subject.ShouldBe("You received 8.00 USD");
        _smtp.To(ann.Email).ShouldHaveSingleItem().Subject.ShouldBe("Your deposit of 30.00 USD completed");
        _receiver.Requests.ShouldHaveSingleItem().SignatureValid.ShouldBeTrue();

        // At least once: an instance that handled an event but died before marking it done hands it to the
        // next one. The fan-outs (notifications, webhooks) run again and write nothing twice.
        await using (var ctx = _database.OpenContext())
        {
            // The deposit's and the transfer's events, each one row for both handlers (notifications, webhooks).
            var fanOuts = await ctx.OutboxMessages.Where(m => m.Handler == OutboxMessage.EveryHandler || m.Handler == "notifications" || m.Handler == "webhooks").ToListAsync();
            fanOuts.Count.ShouldBeGreaterThanOrEqualTo(2);
            foreach (var m in fanOuts) { m.Status = OutboxStatus.Pending; m.NextAttemptAt = DateTime.UtcNow.AddSeconds(-1); }
            await ctx.SaveChangesAsync();
        }
        await Eventually.TrueAsync(async () =>
        {
            await using var ctx = _database.OpenContext();
            return await ctx.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Done);
        });
        await Task.Delay(500);
        (await bobAgain.NotificationsAsync()).Count.ShouldBe(1);
        _smtp.To(bob.Email).Count.ShouldBe(1);
        _receiver.Requests.Count.ShouldBe(1);
    }
}
