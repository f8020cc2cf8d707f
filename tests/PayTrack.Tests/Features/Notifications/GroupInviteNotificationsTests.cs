using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using PayTrack.Data;
using PayTrack.Tests.Features.Groups;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

/// <summary>
/// <c>group.invite</c>: the invited address gets the accept link by e-mail (through a real SMTP server on
/// loopback), an existing user also in the app without the link; the token stays out of the audit log and
/// every answer but the owner's.
/// </summary>
public sealed partial class GroupInviteNotificationsTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly SmtpTestServer _smtp = new();
    private TestDatabase _database = null!;
    private PayTrackApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await _smtp.StartAsync();
        Start();
    }

    private void Start(bool notifications = true)
    {
        _app = new PayTrackApp(_database, new Dictionary<string, string?>
        {
            ["Outbox:PollIntervalMs"] = "50", ["Outbox:RetryBaseMs"] = "100", ["RateLimits:Enabled"] = "false",
            ["Email:Mode"] = "smtp", ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:From"] = "PayTrack <noreply@paytrack.test>", ["Email:Smtp:TimeoutSeconds"] = "5", ["Email:BaseUrl"] = "https://paytrack.test",
            ["Notifications:Enabled"] = notifications ? "true" : "false",
        }, ownsDatabase: false);
        _ = _app.Server;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private async Task<bool> AllDoneAsync()
    {
        await using var ctx = _database.OpenContext();
        return await ctx.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Done);
    }

    private Task<List<MimeMessage>> MailToAsync(string address, int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(_smtp.To(address)), l => l.Count >= count, $"{count} e-mail(s) to {address}", 30_000);

    private static async Task<InviteDto> InviteAsync(SignedInUser owner, Guid groupId, string email, string? role = null)
    {
        var res = await owner.Client.PostAsJsonAsync($"/api/v1/groups/{groupId}/invites", new { email, role });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await res.Content.ReadFromJsonAsync<InviteDto>())!;
    }

    private async Task<HttpClient> WebSignInAsync(string email)
    {
        var web = _app.Anonymous();
        (await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return web;
    }

    /// <summary>Follows the e-mailed link in the browser, signed in as <paramref name="email"/>, and joins.</summary>
    private async Task JoinThroughLinkAsync(string link, string email, Guid groupId)
    {
        var web = await WebSignInAsync(email);
        var path = new Uri(link).AbsolutePath;
        WebUtility.HtmlDecode(await web.GetStringAsync(path)).ShouldContain("Join ");
        var joined = await web.SubmitAsync(path, new Dictionary<string, string>());
        joined.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        joined.Headers.Location!.ToString().ShouldBe($"/groups/{groupId}");
    }

    [GeneratedRegex("Open in PayTrack: (\\S+)")]
    private static partial Regex TextLink();

    [GeneratedRegex("<a href=\"([^\"]+)\"[^>]*>Open in PayTrack</a>")]
    private static partial Regex HtmlLink();

    [Fact]
    public async Task InviteAnExistingUser_EmailsTheWorkingLink_AndNotifiesInTheAppWithoutIt()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var group = await ann.CreateGroupAsync("Ski trip");
        // Invited with a differently written address: it is still Bob.
        var invite = await InviteAsync(ann, group.Id, bob.Email.ToUpperInvariant(), "approver");

        var mail = (await MailToAsync(bob.Email, 1)).ShouldHaveSingleItem();
        mail.To.Mailboxes.Single().Address.ShouldBe(bob.Email);
        mail.Subject.ShouldBe("Ann invited you to Ski trip");
        foreach (var body in new[] { mail.TextBody!, WebUtility.HtmlDecode(mail.HtmlBody!) })
        {
            body.ShouldContain("Ski trip");
            body.ShouldContain("Ann invited you to share expenses in “Ski trip” on PayTrack as approver.");
            body.ShouldContain(invite.Url);
        }
        TextLink().Match(mail.TextBody!).Groups[1].Value.ShouldBe(invite.Url);
        WebUtility.HtmlDecode(HtmlLink().Match(mail.HtmlBody!).Groups[1].Value).ShouldBe(invite.Url);
        mail.TextBody!.ShouldContain("Valid until: ");
        mail.TextBody!.ShouldContain("e-mails for \"Group invitations\" are on");
        mail.Headers["List-Unsubscribe"].ShouldStartWith("<https://paytrack.test/unsubscribe?");

        var note = (await bob.Client.WaitForNotificationsAsync(1, "group.invite")).ShouldHaveSingleItem();
        note.Title.ShouldBe("Ann invited you to Ski trip");
        note.Link.ShouldBe($"/invites/received/{invite.Id}");
        note.Body.ShouldNotContain(invite.Token());
        // The in-app link's page tells what the invite is for, without the token; to anyone else it is 404.
        var bobWeb = await WebSignInAsync(bob.Email);
        var page = WebUtility.HtmlDecode(await bobWeb.GetStringAsync(note.Link!));
        page.ShouldContain("Invitation to Ski trip");
        page.ShouldContain("open the link in the e-mail");
        page.ShouldNotContain(invite.Token());
        var cat = await _app.RegisterAndSignInAsync(displayName: "Cat");
        (await (await WebSignInAsync(cat.Email)).GetAsync(note.Link!)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The link works: Bob follows it signed in and is a member, with the invite's role.
        await JoinThroughLinkAsync(TextLink().Match(mail.TextBody!).Groups[1].Value, bob.Email, group.Id);
        var joined = (await bob.Client.GetFromJsonAsync<GroupDto>($"/api/v1/groups/{group.Id}"))!;
        joined.MyRole.ShouldBe("approver");
        joined.Members.ShouldContain(m => m.UserId == bob.Id);
        WebUtility.HtmlDecode(await bobWeb.GetStringAsync(note.Link!)).ShouldContain("This invitation was used");

        await Task.Delay(500);
        _smtp.To(bob.Email).Count.ShouldBe(1, "one invite, one e-mail");
        (await bob.Client.NotificationsAsync()).Count(n => n.Kind == "group.invite").ShouldBe(1);
    }

    [Fact]
    public async Task InviteAnAddressWithoutAccount_EmailsIt_WithoutUnsubscribe_AndTheLinkWorksAfterRegistering()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var group = await ann.CreateGroupAsync("Flat");
        var email = $"newcomer-{Guid.NewGuid():N}@example.com";
        var invite = await InviteAsync(ann, group.Id, email);

        var mail = (await MailToAsync(email, 1)).ShouldHaveSingleItem();
        mail.Subject.ShouldBe("Ann invited you to Flat");
        mail.TextBody!.ShouldStartWith("Hello,");
        foreach (var body in new[] { mail.TextBody!, WebUtility.HtmlDecode(mail.HtmlBody!) })
        {
            body.ShouldContain("“Flat”");
            body.ShouldContain("as member");
            body.ShouldContain(invite.Url);
            body.ShouldContain("It has no PayTrack account, so there is nothing to unsubscribe from");
            body.ShouldNotContain("/unsubscribe");
        }
        mail.Headers.Contains("List-Unsubscribe").ShouldBeFalse();
        await using (var db = _database.OpenContext())
            (await db.Notifications.AsNoTracking().CountAsync()).ShouldBe(0, "nobody to tell in the app");

        // The newcomer registers with the address and joins through the e-mailed link.
        var newcomer = await _app.RegisterAndSignInAsync(email: email, displayName: "Nia");
        await JoinThroughLinkAsync(TextLink().Match(mail.TextBody!).Groups[1].Value, email, group.Id);
        (await newcomer.Client.GetFromJsonAsync<GroupDto>($"/api/v1/groups/{group.Id}"))!.Members.ShouldContain(m => m.UserId == newcomer.Id);
    }

    [Fact]
    public async Task EmailTurnedOff_NoEmail_ButInApp_AndInAppTurnedOff_EmailOnly()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var cat = await _app.RegisterAndSignInAsync(displayName: "Cat");
        await (await bob.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { email = new Dictionary<string, bool> { ["group.invite"] = false } }))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await cat.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { inApp = new Dictionary<string, bool> { ["group.invite"] = false } }))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        var group = await ann.CreateGroupAsync("Band");
        await InviteAsync(ann, group.Id, bob.Email);
        await InviteAsync(ann, group.Id, cat.Email);

        (await bob.Client.WaitForNotificationsAsync(1, "group.invite")).ShouldHaveSingleItem().Title.ShouldBe("Ann invited you to Band");
        (await MailToAsync(cat.Email, 1)).ShouldHaveSingleItem().Subject.ShouldBe("Ann invited you to Band");
        await using (var db = _database.OpenContext())
        {
            // The in-app row and the e-mail row are written in one transaction: no e-mail row for Bob means none is coming.
            (await db.OutboxMessages.AsNoTracking().CountAsync(m => m.Handler == "email" && m.UserId == bob.Id)).ShouldBe(0);
            (await db.OutboxMessages.AsNoTracking().CountAsync(m => m.Handler == "email" && m.UserId == cat.Id)).ShouldBe(1);
        }
        await Task.Delay(500);
        _smtp.To(bob.Email).ShouldBeEmpty();
        (await cat.Client.NotificationsAsync()).ShouldNotContain(n => n.Kind == "group.invite");
    }

    [Fact]
    public async Task TheToken_IsNotInTheAuditLog_TheActivity_TheNotifications_OrTheNoticesOutboxRow()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var group = await ann.CreateGroupAsync("Ski trip");
        var invite = await InviteAsync(ann, group.Id, bob.Email);
        var token = invite.Token();
        token.Length.ShouldBeGreaterThan(20);
        await MailToAsync(bob.Email, 1);
        await bob.Client.WaitForNotificationsAsync(1, "group.invite");

        await using var db = _database.OpenContext();
        var audit = await db.AuditEvents.AsNoTracking().ToListAsync();
        audit.ShouldContain(e => e.Event == "group.member.invited" && e.EntityId == invite.Id, "the invite is audited");
        audit.ShouldNotContain(e => e.Data.Contains(token));
        (await db.GroupActivity.AsNoTracking().ToListAsync()).ShouldNotContain(a => (a.Summary + a.Before + a.After).Contains(token));
        (await db.Notifications.AsNoTracking().ToListAsync()).ShouldNotContain(n => (n.Title + n.Body + n.Link).Contains(token));
        var notice = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Type == "group.invite.created");
        notice.Handler.ShouldBe("notifications");
        notice.Status.ShouldBe(OutboxStatus.Done);
        notice.Data.ShouldNotContain(token, Case.Sensitive, "sealed with Data Protection");
        (await db.OutboxMessages.AsNoTracking().Where(m => m.Type != "email.group.invite").ToListAsync()).ShouldNotContain(m => m.Data.Contains(token));
        // The e-mail's row needs the link only until it is sent: once done, its data is emptied.
        await Eventually.TrueAsync(async () =>
        {
            await using var c = _database.OpenContext();
            return await c.OutboxMessages.AsNoTracking().AnyAsync(m => m.Type == "email.group.invite" && m.Status == OutboxStatus.Done);
        }, TimeSpan.FromSeconds(10));
        await using (var c = _database.OpenContext())
        {
            var sent = await c.OutboxMessages.AsNoTracking().Where(m => m.Handler == "email").ToListAsync();
            sent.ShouldNotBeEmpty();
            sent.ShouldAllBe(m => m.Status != OutboxStatus.Done || m.Data == "{}");
            (await c.OutboxMessages.AsNoTracking().ToListAsync()).ShouldNotContain(m => m.Data.Contains(token), "no outbox row keeps the token once the e-mail is sent");
        }

        // Answers other than the owner's create response do not carry it either.
        (await ann.Client.GetStringAsync($"/api/v1/groups/{group.Id}/activity")).ShouldNotContain(token);
        (await bob.Client.GetStringAsync("/api/v1/notifications")).ShouldNotContain(token);
        (await ann.Client.GetStringAsync($"/api/v1/groups/{group.Id}")).ShouldNotContain(token);
    }

    [Fact]
    public async Task ARedeliveredNotice_WritesNothingTwice()
    {
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var group = await ann.CreateGroupAsync("Ski trip");
        var stranger = $"stranger-{Guid.NewGuid():N}@example.com";
        await InviteAsync(ann, group.Id, bob.Email);
        await InviteAsync(ann, group.Id, stranger);
        await MailToAsync(bob.Email, 1);
        await MailToAsync(stranger, 1);
        await bob.Client.WaitForNotificationsAsync(1, "group.invite");
        await Eventually.TrueAsync(AllDoneAsync);

        // At least once: the notices are handled again (an instance died before marking them done).
        await using (var ctx = _database.OpenContext())
        {
            var notices = await ctx.OutboxMessages.Where(m => m.Type == "group.invite.created").ToListAsync();
            notices.Count.ShouldBe(2);
            foreach (var m in notices) { m.Status = OutboxStatus.Pending; m.NextAttemptAt = DateTime.UtcNow.AddSeconds(-1); }
            await ctx.SaveChangesAsync();
        }
        await Eventually.TrueAsync(AllDoneAsync);
        await Task.Delay(500);
        _smtp.To(bob.Email).Count.ShouldBe(1);
        _smtp.To(stranger).Count.ShouldBe(1);
        (await bob.Client.NotificationsAsync()).Count(n => n.Kind == "group.invite").ShouldBe(1);
        await using (var ctx = _database.OpenContext())
            (await ctx.OutboxMessages.CountAsync(m => m.Type == "email.group.invite")).ShouldBe(2);
    }

    [Fact]
    public async Task WithNotificationsOff_AnInviteQueuesNoNotice_AndLeavesNothingDead()
    {
        await _app.DisposeAsync();
        Start(notifications: false);
        var ann = await _app.RegisterAndSignInAsync(displayName: "Ann");
        var bob = await _app.RegisterAndSignInAsync(displayName: "Bob");
        var group = await ann.CreateGroupAsync("Ski trip");
        (await InviteAsync(ann, group.Id, bob.Email)).Url.ShouldContain("/invites/");
        await Eventually.TrueAsync(AllDoneAsync);
        await using var ctx = _database.OpenContext();
        (await ctx.OutboxMessages.CountAsync(m => m.Handler == "notifications" || m.Handler == "email")).ShouldBe(0);
    }
}
