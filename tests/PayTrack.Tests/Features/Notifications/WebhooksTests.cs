using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Webhooks;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

public sealed record CreatedWebhookDto(Guid Id, string Url, List<string> Events, string? Description, string Secret, DateTime CreatedAt);
public sealed record WebhookDto(Guid Id, string Url, List<string> Events, string? Description, string Status, string? DisabledReason, DateTime CreatedAt);
public sealed record DeliveryDto(Guid Id, string WebhookMessageId, string Event, int Attempt, int? StatusCode, int DurationMs, string? Error, DateTime? NextAttemptAt, DateTime CreatedAt);

/// <summary>Webhooks against a real receiver on loopback that verifies signatures with the StandardWebhooks package.</summary>
public sealed class WebhooksTests : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();
    private PayTrackApp _app = null!;

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync();
        _app = new PayTrackApp(await TestDatabase.CreateAsync(), new Dictionary<string, string?>
        {
            ["Outbox:PollIntervalMs"] = "50", ["RateLimits:Enabled"] = "false",
            ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:RetryScale"] = "0.0001", // 5 s → 0.5 ms, 5 min → 30 ms, … 10 h → 3.6 s
            ["Notifications:Enabled"] = "false",
        }, kestrel: true);
        _app.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<CreatedWebhookDto> SubscribeAsync(SignedInUser user, params string[] events)
    {
        var res = await user.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url, events, description = "test receiver" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var hook = (await res.Content.ReadFromJsonAsync<CreatedWebhookDto>())!;
        _receiver.Secret = hook.Secret;
        return hook;
    }

    private async Task<List<OutboxMessage>> DeliveryRowsAsync()
    {
        await using var ctx = _app.Database.OpenContext();
        return await ctx.OutboxMessages.AsNoTracking().Where(m => m.Handler == "webhook-delivery").ToListAsync();
    }

    private static JsonElement Body(WebhookReceiver.Request r) => JsonDocument.Parse(r.Body).RootElement;

    [Fact]
    public async Task AReceiverFailingTwice_GetsEachEventOnceAccepted_SignedAndUnderOneWebhookId()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await _app.FundAsync(ann.Id, annWallet.Id, "100.00");
        var hook = await SubscribeAsync(bob, "transfer.succeeded");
        hook.Secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(hook.Secret["whsec_".Length..]).Length.ShouldBe(24);
        _receiver.Answer = (_, attempt) => attempt <= 2 ? 500 : 200;

        await ann.SendAsync(annWallet.Id, bobWallet.Id, "10.00");
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "2.50");
        await Eventually.TrueAsync(async () => (await DeliveryRowsAsync()) is { Count: 2 } rows && rows.All(r => r.Status == OutboxStatus.Done));
        await Task.Delay(300);

        var requests = _receiver.Requests.ToList();
        requests.ShouldAllBe(r => r.SignatureValid);
        var byEvent = requests.GroupBy(r => r.WebhookId).ToList();
        byEvent.Count.ShouldBe(2);
        foreach (var attempts in byEvent)
        {
            attempts.Select(a => a.Answered).ShouldBe([500, 500, 200], "retried until accepted, then never again");
            attempts.Select(a => a.Body).Distinct().ShouldHaveSingleItem("every attempt sends the same body");
            attempts.Key.ShouldStartWith("msg_");
        }
        var accepted = requests.Where(r => r.Answered == 200).Select(Body).ToList();
        accepted.Select(b => b.GetProperty("type").GetString()).ShouldAllBe(t => t == "transfer.succeeded");
        accepted.Select(b => b.GetProperty("data").GetProperty("amount").GetString()).Order().ShouldBe(["10.00", "2.50"]);
        accepted.ShouldAllBe(b => b.GetProperty("data").GetProperty("to").GetGuid() == bobWallet.Id && b.GetProperty("data").GetProperty("currency").GetString() == "USD");
        accepted.ShouldAllBe(b => b.GetProperty("timestamp").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));

        var log = (await bob.Client.GetFromJsonAsync<PageDto<DeliveryDto>>($"/api/v1/webhooks/{hook.Id}/deliveries"))!.Items;
        log.Count.ShouldBe(6);
        foreach (var attempts in log.GroupBy(d => d.WebhookMessageId))
        {
            var ordered = attempts.OrderBy(d => d.Attempt).ToList();
            ordered.Select(d => (d.Attempt, d.StatusCode)).ShouldBe([(1, 500), (2, 500), (3, 200)]);
            ordered[0].NextAttemptAt.ShouldNotBeNull();
            ordered[1].NextAttemptAt.ShouldNotBeNull();
            ordered[2].NextAttemptAt.ShouldBeNull();
            ordered.ShouldAllBe(d => d.Event == "transfer.succeeded");
        }
        log.Select(d => d.WebhookMessageId).Distinct().Order().ShouldBe(byEvent.Select(g => g.Key).Order());
        await (await ann.Client.GetAsync($"/api/v1/webhooks/{hook.Id}/deliveries")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AWebhook_GetsOnlyEventsItsOwnerMaySee()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await SubscribeAsync(bob, "*");
        await _app.FundAsync(ann.Id, annWallet.Id, "20.00"); // Ann's deposit
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "999.00" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity); // Ann's failed transfer
        await ann.Client.CreateExpenseAsync(new { amount = "3.00", date = "2026-03-01" }); // Ann's expense
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "4.00"); // money to Bob: Bob sees it
        await bob.Client.CreateExpenseAsync(new { amount = "5.00", date = "2026-03-01", payee = "last" }); // Bob's own

        await Eventually.TrueAsync(() => Task.FromResult(_receiver.Requests.Any(r => r.Body.Contains("\"last\"", StringComparison.Ordinal))));
        await Eventually.TrueAsync(() => Task.FromResult(_receiver.Requests.Any(r => r.Body.Contains("transfer.succeeded", StringComparison.Ordinal))));
        await Task.Delay(500);
        _receiver.Requests.Select(r => Body(r).GetProperty("type").GetString()).Order().ShouldBe(["expense.created", "transfer.succeeded"]);
        _receiver.Requests.ShouldAllBe(r => r.SignatureValid);
    }

    [Fact]
    public async Task Answer410_DisablesTheWebhook_AndNothingMoreIsSent()
    {
        var me = await _app.RegisterAndSignInAsync();
        var hook = await SubscribeAsync(me, "expense.created", "expense.deleted");
        _receiver.Answer = (_, _) => 410;
        await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-03-01" });
        await Eventually.TrueAsync(async () => (await me.Client.GetFromJsonAsync<PageDto<WebhookDto>>("/api/v1/webhooks"))!.Items.Single().Status == "disabled");
        var listed = (await me.Client.GetFromJsonAsync<PageDto<WebhookDto>>("/api/v1/webhooks"))!.Items.Single();
        listed.DisabledReason.ShouldNotBeNull();
        listed.Events.ShouldBe(["expense.created", "expense.deleted"]);
        (await me.Client.GetFromJsonAsync<PageDto<DeliveryDto>>($"/api/v1/webhooks/{hook.Id}/deliveries"))!.Items
            .ShouldHaveSingleItem().StatusCode.ShouldBe(410);

        await me.Client.CreateExpenseAsync(new { amount = "2.00", date = "2026-03-01" });
        await Task.Delay(800);
        _receiver.Requests.Count.ShouldBe(1);
        (await DeliveryRowsAsync()).ShouldAllBe(r => r.Status == OutboxStatus.Done);
    }

    [Fact]
    public async Task ARedirect_IsNotFollowed_ButRetried()
    {
        var me = await _app.RegisterAndSignInAsync();
        var hook = await SubscribeAsync(me, "expense.created");
        _receiver.Answer = (_, attempt) => attempt == 1 ? 302 : 200;
        await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-03-01" });
        await Eventually.TrueAsync(async () => (await DeliveryRowsAsync()).All(r => r.Status == OutboxStatus.Done) && _receiver.Requests.Count == 2);
        _receiver.Requests.Select(r => r.Answered).ShouldBe([302, 200]);
        (await me.Client.GetFromJsonAsync<PageDto<DeliveryDto>>($"/api/v1/webhooks/{hook.Id}/deliveries"))!.Items
            .Select(d => d.StatusCode).ShouldBe([200, 302]);
    }

    [Fact]
    public async Task WhenTheReceiverNeverAccepts_TheDeliveryIsDeadAfterTheLastScheduledAttempt()
    {
        var me = await _app.RegisterAndSignInAsync();
        var hook = await SubscribeAsync(me, "expense.created");
        _receiver.Answer = (_, _) => 503;
        await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-03-01" });
        // 8 attempts on the Standard Webhooks schedule, scaled by 0.0001: about 10 s of waiting in all.
        await Eventually.TrueAsync(async () => (await DeliveryRowsAsync()).SingleOrDefault()?.Status == OutboxStatus.Dead, TimeSpan.FromSeconds(60));
        (await DeliveryRowsAsync()).Single().Attempts.ShouldBe(8);
        var log = (await me.Client.GetFromJsonAsync<PageDto<DeliveryDto>>($"/api/v1/webhooks/{hook.Id}/deliveries"))!.Items;
        log.Count.ShouldBe(8);
        log.First().NextAttemptAt.ShouldBeNull("the last attempt");
        log.Skip(1).ShouldAllBe(d => d.NextAttemptAt != null);
        _receiver.Requests.Select(r => r.WebhookId).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task TheSender_RefusesLoopbackAddresses_AlsoByName_WhenPrivateNetworksAreNotAllowed()
    {
        using var strict = new WebhookSender(new WebhookOptions { AllowPrivateNetworks = false, TimeoutSeconds = 5 }, TimeProvider.System);
        _receiver.Secret = "whsec_" + Convert.ToBase64String(new byte[24]);
        var byAddress = await strict.SendAsync(_receiver.Url, _receiver.Secret, "msg_1", "{}", CancellationToken.None);
        var byName = await strict.SendAsync(_receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), _receiver.Secret, "msg_2", "{}", CancellationToken.None);
        foreach (var attempt in new[] { byAddress, byName })
        {
            attempt.StatusCode.ShouldBeNull();
            attempt.Error!.ShouldContain("Refused");
        }
        _receiver.Requests.ShouldBeEmpty();
    }
}

/// <summary>Creating, listing and deleting webhooks with the default settings (private networks refused).</summary>
public sealed class WebhookSubscriptionTests : ApiTest
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    public async Task PrivateLoopbackOrLinkLocalUrls_AreRefused(string url)
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "*" } });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!["url"].Single().ShouldContain("loopback, private or link-local");
    }

    [Fact]
    public async Task Create_List_Delete_AndBadInput()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.215.14/hooks/paytrack", events = new[] { "transfer.succeeded", "deposit.failed" }, description = "books" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var created = (await res.Content.ReadFromJsonAsync<CreatedWebhookDto>())!;
        created.Secret.ShouldStartWith("whsec_");
        res.Headers.Location!.ToString().ShouldBe($"/api/v1/webhooks/{created.Id}");
        var listed = (await me.Client.GetFromJsonAsync<PageDto<WebhookDto>>("/api/v1/webhooks"))!.Items.ShouldHaveSingleItem();
        (listed.Url, listed.Status, listed.Description).ShouldBe(("https://93.184.215.14/hooks/paytrack", "active", "books"));
        (await me.Client.GetStringAsync("/api/v1/webhooks")).ShouldNotContain("whsec_");
        (await other.Client.GetFromJsonAsync<PageDto<WebhookDto>>("/api/v1/webhooks"))!.Items.ShouldBeEmpty();
        await (await other.Client.DeleteAsync($"/api/v1/webhooks/{created.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await me.Client.GetFromJsonAsync<PageDto<DeliveryDto>>($"/api/v1/webhooks/{created.Id}/deliveries"))!.Items.ShouldBeEmpty();

        var bad = await me.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://example.org/x", events = new[] { "nope" } });
        (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.Order().ShouldBe(["events", "url"]);
        var none = await me.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.215.14/", events = Array.Empty<string>() });
        (await none.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["events"]);

        await (await me.Client.DeleteAsync($"/api/v1/webhooks/{created.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await me.Client.DeleteAsync($"/api/v1/webhooks/{created.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await App.Anonymous().GetAsync("/api/v1/webhooks")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
