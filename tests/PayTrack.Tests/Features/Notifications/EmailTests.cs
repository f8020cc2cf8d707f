using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using PayTrack.Data;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

/// <summary>Notification e-mails through a real SMTP server on loopback: content, unsubscribe, outages.</summary>
public sealed partial class EmailTests : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();
    private TestDatabase _database = null!;
    private PayTrackApp _app = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private void Start(int maxAttempts = 10, bool deliver = true)
    {
        _app = new PayTrackApp(_database, new Dictionary<string, string?>
        {
            ["Outbox:Enabled"] = deliver ? "true" : "false",
            ["Outbox:PollIntervalMs"] = "50", ["Outbox:RetryBaseMs"] = "100", ["Outbox:MaxRetryDelaySeconds"] = "1",
            ["Outbox:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:Enabled"] = "false",
            ["Email:Mode"] = "smtp", ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:From"] = "PayTrack <noreply@paytrack.test>", ["Email:Smtp:TimeoutSeconds"] = "5",
            ["Email:BaseUrl"] = "https://paytrack.test",
        }, ownsDatabase: false);
        _ = _app.Server;
    }

    private async Task<(SignedInUser Ann, AccountDto AnnWallet, SignedInUser Bob, AccountDto BobWallet)> PairAsync(string currency = "EUR")
    {
        var ann = await _app.RegisterAndSignInAsync(currency: currency, displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(currency: currency, displayName: "Bob");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        await _app.FundAsync(ann.Id, annWallet.Id, "5000.00");
        return (ann, annWallet, bob, await PayTrackApp.MainWalletAsync(bob));
    }

    private Task<List<MimeMessage>> MailToAsync(string address, int count, string? subjectStart = null) =>
        Eventually.ReturnsAsync(() => Task.FromResult(_smtp.To(address).Where(m => subjectStart is null || m.Subject?.StartsWith(subjectStart, StringComparison.Ordinal) == true).ToList()),
            l => l.Count >= count, $"{count} e-mail(s) to {address}", 30_000);

    private async Task<List<OutboxMessage>> EmailRowsAsync()
    {
        await using var ctx = _database.OpenContext();
        return await ctx.OutboxMessages.AsNoTracking().Where(m => m.Handler == "email").OrderBy(m => m.Id).ToListAsync();
    }

    [GeneratedRegex("https://paytrack\\.test(/unsubscribe\\?[^\"\\s<>]+)")]
    private static partial Regex UnsubscribeLink();

    [Fact]
    public async Task MoneyReceived_Email_HasBothBodies_InTheRecipientsFormat_AndItsUnsubscribeLinkWorks()
    {
        await _smtp.StartAsync();
        Start();
        var (ann, annWallet, bob, bobWallet) = await PairAsync();
        await (await bob.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { locale = "de-DE", timeZone = "Europe/Berlin" })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "1234.56");

        var mail = (await MailToAsync(bob.Email, 1)).ShouldHaveSingleItem();
        mail.To.Mailboxes.Single().Name.ShouldBe("Bob");
        mail.From.Mailboxes.Single().Address.ShouldBe("noreply@paytrack.test");
        mail.Subject.ShouldBe("You received 1.234,56 EUR");
        mail.TextBody!.ShouldContain("Hello Bob,");
        mail.TextBody!.ShouldContain("Ann sent you 1.234,56 EUR.");
        mail.TextBody!.ShouldContain("(Europe/Berlin)");
        mail.TextBody!.ShouldContain($"Open in PayTrack: https://paytrack.test/wallets/{bobWallet.Id}");
        mail.HtmlBody!.ShouldContain("<h1 style=\"font-size:1.3rem\">You received 1.234,56 EUR</h1>");
        mail.HtmlBody!.ShouldContain("Ann sent you 1.234,56 EUR.");
        var textLink = UnsubscribeLink().Match(mail.TextBody!).Groups[1].Value;
        var htmlLink = WebUtility.HtmlDecode(UnsubscribeLink().Match(mail.HtmlBody!).Groups[1].Value);
        textLink.ShouldNotBeEmpty();
        htmlLink.ShouldBe(textLink);
        mail.Headers["List-Unsubscribe"].ShouldBe($"<https://paytrack.test{textLink}>");
        mail.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        // Ann's deposit mail went to Ann, in her (default) format.
        (await MailToAsync(ann.Email, 1)).Single().Subject.ShouldBe("Your deposit of 5,000.00 EUR completed");

        // Following the link: no sign-in; GET only asks, POST (the form, or a mail client's one-click) turns it off.
        var browser = _app.Anonymous();
        var ask = await browser.GetAsync(textLink);
        await ask.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await ask.Content.ReadAsStringAsync()).ShouldContain("Stop these e-mails?");
        (await bob.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/notification-preferences"))!.Email["transfer.received"].ShouldBeTrue("a GET changes nothing");
        var tampered = await browser.PostAsync(textLink.Replace("k=transfer.received", "k=deposit.completed", StringComparison.Ordinal),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        tampered.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var done = await browser.PostAsync(textLink, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        await done.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await done.Content.ReadAsStringAsync()).ShouldContain("You are unsubscribed");
        var prefs = (await bob.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/notification-preferences"))!;
        prefs.Email["transfer.received"].ShouldBeFalse();
        prefs.Email["deposit.completed"].ShouldBeTrue();
        prefs.InApp["transfer.received"].ShouldBeTrue();

        // The next transfer: in the app, not by e-mail.
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "1.00");
        await bob.Client.WaitForNotificationsAsync(2, "transfer.received");
        await Task.Delay(500);
        _smtp.To(bob.Email).Count.ShouldBe(1);
    }

    [Fact]
    public async Task SecurityEmail_HasNoUnsubscribeLink()
    {
        await _smtp.StartAsync();
        Start();
        var me = await _app.RegisterAndSignInAsync(displayName: "Ann");
        await (await me.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = me.Password, newPassword = "another long passphrase" }))
            .ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var mail = (await MailToAsync(me.Email, 1)).Single();
        mail.Subject.ShouldBe("Your password was changed");
        mail.TextBody!.ShouldContain("Security e-mails are always sent");
        mail.HtmlBody!.ShouldNotContain("/unsubscribe");
        mail.Headers.Contains("List-Unsubscribe").ShouldBeFalse();
    }

    [Fact]
    public async Task WhileSmtpIsDown_TheEmailWaits_AndIsSentOnceWhenItIsBack()
    {
        Start();
        var (ann, annWallet, bob, bobWallet) = await PairAsync();
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "12.00");
        await Eventually.TrueAsync(async () => (await EmailRowsAsync()).Any(r => r.Type == "email.transfer.received" && r.Attempts >= 2 && r.Status == OutboxStatus.Pending));

        await _smtp.StartAsync();
        var mail = (await MailToAsync(bob.Email, 1)).Single();
        mail.Subject.ShouldBe("You received 12.00 EUR");
        await Eventually.TrueAsync(async () => (await EmailRowsAsync()).All(r => r.Status == OutboxStatus.Done));
        await Task.Delay(500);
        _smtp.To(bob.Email).Count.ShouldBe(1, "sent once");
    }

    [Fact]
    public async Task WhenSmtpStaysDown_TheEmailIsDead_ListedForAdmins_AndARetrySendsIt()
    {
        Start(maxAttempts: 3);
        var admin = await _app.RegisterAndSignInAsync(displayName: "Admin");
        var (ann, annWallet, bob, bobWallet) = await PairAsync();
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "3.00");
        await Eventually.TrueAsync(async () => (await EmailRowsAsync()).Any(r => r.Type == "email.transfer.received" && r.Status == OutboxStatus.Dead));
        var dead = (await EmailRowsAsync()).Single(r => r.Type == "email.transfer.received");
        dead.Attempts.ShouldBe(3);
        dead.UserId.ShouldBe(bob.Id);

        var listed = (await admin.Client.GetFromJsonAsync<PageDto<OutboxDto>>("/api/v1/admin/outbox?status=dead"))!.Items;
        listed.ShouldContain(m => m.Id == dead.Id && m.Handler == "email");

        await _smtp.StartAsync();
        await (await admin.Client.PostAsync($"/api/v1/admin/outbox/{dead.Id}/retry", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await MailToAsync(bob.Email, 1)).Single().Subject.ShouldBe("You received 3.00 EUR");
    }

    [Fact]
    public async Task ARoundsEmails_GoOutInTheSameRound_ClaimedWhenWritten_AndDoneWithTheEvent()
    {
        await _smtp.StartAsync();
        Start(deliver: false); // the test drives the rounds
        var (ann, annWallet, bob, bobWallet) = await PairAsync();
        var dispatcher = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<PayTrack.Infrastructure.Outbox.OutboxDispatcher>(_app.Services);
        while (await dispatcher.DeliverDueAsync(CancellationToken.None) > 0) { } // the deposit's event and e-mail
        var before = _smtp.Messages.Count;
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "2.50");

        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(1, "one row: the transfer's event, for both handlers");
        _smtp.Messages.Count.ShouldBe(before + 1, "its e-mail went out in the same round");
        _smtp.To(bob.Email).Last().Subject.ShouldBe("You received 2.50 EUR");
        var email = (await EmailRowsAsync()).Last();
        (email.Status, email.Attempts).ShouldBe((OutboxStatus.Done, 1));
        await using var ctx = _database.OpenContext();
        (await ctx.OutboxMessages.AsNoTracking().CountAsync(m => m.Status != OutboxStatus.Done)).ShouldBe(0);
        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(0, "nothing left for a later round");
        _smtp.To(bob.Email).Count(m => m.Subject == "You received 2.50 EUR").ShouldBe(1);
    }
}
