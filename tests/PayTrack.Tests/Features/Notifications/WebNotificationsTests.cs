using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

/// <summary>The bell in the layout, the notifications page and the preferences page, without JavaScript.</summary>
public sealed class WebNotificationsTests : ApiTest
{
    private const string Password = "correct horse battery";

    private async Task<HttpClient> WebSignInAsync(SignedInUser user)
    {
        var web = App.Anonymous();
        var res = await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return web;
    }

    [Fact]
    public async Task Bell_ShowsTheUnreadCount_AndThePageListsAndMarksRead()
    {
        var ann = await App.RegisterAndSignInAsync(password: Password, displayName: "Ann");
        var bob = await App.RegisterAndSignInAsync(password: Password, displayName: "Bob");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "50.00");
        var web = await WebSignInAsync(bob);
        (await web.GetStringAsync("/")).ShouldContain("data-unread=\"0\"");

        await ann.SendAsync(annWallet.Id, bobWallet.Id, "7.25");
        await bob.Client.WaitForNotificationsAsync(1);
        var home = await web.GetStringAsync("/");
        home.ShouldContain("data-unread=\"1\"");
        home.ShouldContain("aria-label=\"Notifications, 1 unread\"");

        var page = await web.GetStringAsync("/notifications");
        page.ShouldContain("You received 7.25 USD");
        page.ShouldContain("Ann sent you 7.25 USD.");
        page.ShouldContain("notification--unread");

        var readAll = await web.SubmitAsync("/notifications", new Dictionary<string, string>(), "/notifications?handler=ReadAll");
        readAll.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await web.GetStringAsync("/")).ShouldContain("data-unread=\"0\"");
        (await bob.Client.UnreadAsync()).ShouldBe(0);
        (await web.GetStringAsync("/notifications?unread=true")).ShouldContain("Nothing unread.");
    }

    [Fact]
    public async Task PreferencesPage_SavesThroughTheUseCase_AndKeepsSecurityEmailsOn()
    {
        var me = await App.RegisterAndSignInAsync(password: Password);
        var web = await WebSignInAsync(me);
        var page = await web.GetStringAsync("/settings/notifications");
        page.ShouldContain("Security (password, two-factor, API tokens)");
        page.ShouldContain("Always on");

        var res = await web.SubmitAsync("/settings/notifications", new Dictionary<string, string>
        {
            ["InApp"] = "budget.threshold", ["Email"] = "deposit.completed", ["Locale"] = "de-DE", ["TimeZone"] = "Europe/Berlin",
        });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var prefs = (await me.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/notification-preferences"))!;
        prefs.InApp.Where(p => p.Value).Select(p => p.Key).ShouldBe(["budget.threshold"]);
        prefs.Email.Where(p => p.Value).Select(p => p.Key).Order().ShouldBe(["deposit.completed", "security"]);
        (prefs.Locale, prefs.TimeZone).ShouldBe(("de-DE", "Europe/Berlin"));

        var bad = await web.SubmitAsync("/settings/notifications", new Dictionary<string, string> { ["TimeZone"] = "Mars/Olympus" });
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("is not a known IANA time zone");
    }

    [Fact]
    public async Task WebhooksPage_CreatesShowingTheSecretOnce_AndShowsTheDeliveryLog()
    {
        var me = await App.RegisterAndSignInAsync(password: Password);
        var other = await App.RegisterAndSignInAsync(password: Password);
        var web = await WebSignInAsync(me);
        (await web.GetStringAsync("/webhooks")).ShouldContain("No webhooks yet.");

        var refused = await web.SubmitAsync("/webhooks", new Dictionary<string, string> { ["HookUrl"] = "http://127.0.0.1/x", ["Events"] = "*" });
        (await refused.Content.ReadAsStringAsync()).ShouldContain("loopback, private or link-local");

        var created = await web.SubmitAsync("/webhooks", new Dictionary<string, string> { ["HookUrl"] = "https://93.184.215.14/paytrack", ["Events"] = "transfer.succeeded", ["Description"] = "books" });
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await created.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"webhook-secret\">whsec_");
        var hook = (await me.Client.GetFromJsonAsync<PageDto<WebhookDto>>("/api/v1/webhooks"))!.Items.ShouldHaveSingleItem();
        hook.Events.ShouldBe(["transfer.succeeded"]);
        (await web.GetStringAsync("/webhooks")).ShouldNotContain("whsec_");
        (await web.GetStringAsync($"/webhooks/{hook.Id}")).ShouldContain("Nothing was sent to this webhook yet.");
        var stranger = await WebSignInAsync(other);
        (await stranger.GetAsync($"/webhooks/{hook.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
