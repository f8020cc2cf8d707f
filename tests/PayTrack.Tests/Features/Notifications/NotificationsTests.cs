using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

public sealed record NotificationDto(Guid Id, string Kind, string Title, string Body, string? Link, DateTime CreatedAt, DateTime? ReadAt);
public sealed record UnreadCountDto(int Count);
public sealed record PreferencesDto(Dictionary<string, bool> Email, Dictionary<string, bool> InApp, string Locale, string TimeZone);

public static class NotificationApi
{
    public static async Task<List<NotificationDto>> NotificationsAsync(this HttpClient client, bool unread = false) =>
        (await client.GetFromJsonAsync<PageDto<NotificationDto>>("/api/v1/notifications?limit=200" + (unread ? "&unread=true" : "")))!.Items;

    public static async Task<int> UnreadAsync(this HttpClient client) =>
        (await client.GetFromJsonAsync<UnreadCountDto>("/api/v1/notifications/unread-count"))!.Count;

    /// <summary>Waits until the user has <paramref name="count"/> notifications (of <paramref name="kind"/>, when given).</summary>
    public static Task<List<NotificationDto>> WaitForNotificationsAsync(this HttpClient client, int count, string? kind = null) =>
        Eventually.ReturnsAsync(async () => (await client.NotificationsAsync()).Where(n => kind is null || n.Kind == kind).ToList(),
            l => l.Count >= count, $"{count} notification(s){(kind is null ? "" : " of kind " + kind)}");

    public static async Task SendAsync(this SignedInUser from, Guid fromWallet, Guid toWallet, string amount)
    {
        var res = await PayTrackApp.PostIdempotentAsync(from.Client, "/api/v1/transfers", new { fromAccountId = fromWallet, toAccountId = toWallet, amount });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
    }
}

/// <summary>In-app notifications produced from domain events by the notifications outbox handler.</summary>
public sealed class NotificationsTests : IAsyncLifetime
{
    private PayTrackApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new PayTrackApp(await TestDatabase.CreateAsync(), new Dictionary<string, string?>
        {
            ["Outbox:PollIntervalMs"] = "50", ["Outbox:RetryBaseMs"] = "50", ["RateLimits:Enabled"] = "false",
        }, kestrel: true);
        _app.StartServer();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(SignedInUser User, AccountDto Wallet)> UserAsync(string name, string currency = "USD")
    {
        var user = await _app.RegisterAndSignInAsync(currency: currency, displayName: name);
        return (user, await PayTrackApp.MainWalletAsync(user));
    }

    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    [Fact]
    public async Task MoneyReceived_NotifiesTheRecipientOnce_AndNotTheSender()
    {
        var (ann, annWallet) = await UserAsync("Ann");
        var (bob, bobWallet) = await UserAsync("Bob");
        await _app.FundAsync(ann.Id, annWallet.Id, "100.00");
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "12.34");

        var received = (await bob.Client.WaitForNotificationsAsync(1)).ShouldHaveSingleItem();
        received.Kind.ShouldBe("transfer.received");
        received.Title.ShouldBe("You received 12.34 USD");
        received.Body.ShouldBe("Ann sent you 12.34 USD.");
        received.Link.ShouldBe($"/wallets/{bobWallet.Id}");
        received.ReadAt.ShouldBeNull();
        (await bob.Client.UnreadAsync()).ShouldBe(1);
        // Ann's deposit notifies Ann; her sending does not.
        (await ann.Client.WaitForNotificationsAsync(1)).ShouldAllBe(n => n.Kind == "deposit.completed");
        await Task.Delay(300);
        (await bob.Client.NotificationsAsync()).Count.ShouldBe(1, "one event, one notification");
    }

    [Fact]
    public async Task GroupExpenseThatInvolvesYou_AndBeingPaidBack_Notify_TheOthersNotTheActor()
    {
        var (ann, _) = await UserAsync("Ann");
        var (bob, _) = await UserAsync("Bob");
        var (cat, _) = await UserAsync("Cat");
        var group = await PayTrack.Tests.Features.Groups.GroupSteps.CreateGroupAsync(ann, "Ski trip");
        await PayTrack.Tests.Features.Groups.GroupSteps.JoinAsync(ann, group.Id, bob);
        await PayTrack.Tests.Features.Groups.GroupSteps.JoinAsync(ann, group.Id, cat);

        // Ann adds a dinner shared by Ann and Bob: Bob hears of it, Cat (not in it) and Ann (who added it) do not.
        await PayTrack.Tests.Features.Groups.GroupSteps.AddExpenseAsync(ann, group.Id,
            new { description = "Dinner", amount = "30", date = Today, split = PayTrack.Tests.Features.Groups.GroupSteps.Equal(ann, bob) });
        var expense = (await bob.Client.WaitForNotificationsAsync(1, "group.expense")).ShouldHaveSingleItem();
        expense.Title.ShouldBe("Ann added an expense in Ski trip");
        expense.Body.ShouldContain("Dinner");
        expense.Body.ShouldContain("30.00 USD");
        expense.Link.ShouldBe($"/groups/{group.Id}");

        // Bob pays Ann back in cash: Ann hears of it.
        await (await PayTrackApp.PostIdempotentAsync(bob.Client, $"/api/v1/groups/{group.Id}/settlements", new { toUserId = ann.Id, amount = "15", method = "cash" }))
            .ShouldHaveStatusAsync(System.Net.HttpStatusCode.Created);
        var paid = (await ann.Client.WaitForNotificationsAsync(1, "settlement.received")).ShouldHaveSingleItem();
        paid.Title.ShouldBe("Bob paid you back in Ski trip");
        paid.Body.ShouldContain("15.00 USD");

        await Task.Delay(500);
        (await ann.Client.NotificationsAsync()).ShouldNotContain(n => n.Kind == "group.expense");
        (await bob.Client.NotificationsAsync()).ShouldNotContain(n => n.Kind == "settlement.received");
        (await cat.Client.NotificationsAsync()).ShouldNotContain(n => n.Kind == "group.expense" || n.Kind == "settlement.received");
    }

    [Fact]
    public async Task MarkRead_OneAndAll_LowersTheUnreadCount_AndSomeoneElsesIs404()
    {
        var (ann, annWallet) = await UserAsync("Ann");
        var (bob, bobWallet) = await UserAsync("Bob");
        await _app.FundAsync(ann.Id, annWallet.Id, "100.00");
        for (var i = 1; i <= 3; i++) await ann.SendAsync(annWallet.Id, bobWallet.Id, $"{i}.00");
        var all = await bob.Client.WaitForNotificationsAsync(3);
        all.Select(n => n.Title).ShouldBe(["You received 3.00 USD", "You received 2.00 USD", "You received 1.00 USD"], "newest first");

        var page = (await bob.Client.GetFromJsonAsync<PageDto<NotificationDto>>("/api/v1/notifications?limit=2"))!;
        page.Items.Count.ShouldBe(2);
        var rest = (await bob.Client.GetFromJsonAsync<PageDto<NotificationDto>>($"/api/v1/notifications?limit=2&cursor={page.NextCursor}"))!;
        rest.Items.ShouldHaveSingleItem().Id.ShouldBe(all[2].Id);
        rest.NextCursor.ShouldBeNull();

        await (await ann.Client.PostAsync($"/api/v1/notifications/{all[0].Id}/read", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var read = await bob.Client.PostAsync($"/api/v1/notifications/{all[0].Id}/read", null);
        await read.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await read.Content.ReadFromJsonAsync<NotificationDto>())!.ReadAt.ShouldNotBeNull();
        (await bob.Client.UnreadAsync()).ShouldBe(2);
        (await bob.Client.NotificationsAsync(unread: true)).Select(n => n.Id).ShouldBe([all[1].Id, all[2].Id]);

        await (await bob.Client.PostAsync("/api/v1/notifications/read-all", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await bob.Client.UnreadAsync()).ShouldBe(0);
        (await bob.Client.NotificationsAsync(unread: true)).ShouldBeEmpty();
        await (await bob.Client.GetAsync("/api/v1/notifications?limit=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await _app.Anonymous().GetAsync("/api/v1/notifications")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DepositFailed_NotifiesWithTheReason()
    {
        var (ann, annWallet) = await UserAsync("Ann", "EUR");
        var res = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/deposits", new { accountId = annWallet.Id, amount = "10", paymentMethod = "sandbox:decline" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var n = (await ann.Client.WaitForNotificationsAsync(1)).ShouldHaveSingleItem();
        n.Kind.ShouldBe("deposit.completed");
        n.Title.ShouldBe("Your deposit of 10.00 EUR failed");
    }

    [Fact]
    public async Task BudgetThresholds_NotifyAt80And100Percent_OncePerPeriod()
    {
        var (me, _) = await UserAsync("Ann");
        await (await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "Life", amount = "100", currency = "USD", period = "monthly", startDay = 1 }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        await me.Client.CreateExpenseAsync(new { amount = "50", currency = "USD", date = Today });
        await me.Client.CreateExpenseAsync(new { amount = "35", currency = "USD", date = Today }); // 85 %
        var first = (await me.Client.WaitForNotificationsAsync(1, "budget.threshold")).ShouldHaveSingleItem();
        first.Title.ShouldBe("Budget “Life” is at 80 %");
        first.Body.ShouldStartWith("You have spent 85.00 USD of 100.00 USD in this period");

        await me.Client.CreateExpenseAsync(new { amount = "5", currency = "USD", date = Today }); // 90 %: nothing new
        await me.Client.CreateExpenseAsync(new { amount = "10", currency = "USD", date = Today }); // 100 %
        var both = await me.Client.WaitForNotificationsAsync(2, "budget.threshold");
        both[0].Title.ShouldBe("Budget “Life” is used up");
        await me.Client.CreateExpenseAsync(new { amount = "10", currency = "USD", date = Today }); // 110 %: told already
        await Task.Delay(500);
        (await me.Client.NotificationsAsync()).Count(n => n.Kind == "budget.threshold").ShouldBe(2);
    }

    [Fact]
    public async Task BudgetThreshold_IsToldAgainInTheNextPeriod()
    {
        var (me, _) = await UserAsync("Ann");
        await (await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "Week", amount = "10", currency = "USD", period = "weekly", startDay = 1 }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        await me.Client.CreateExpenseAsync(new { amount = "9", currency = "USD", date = Today });
        await me.Client.WaitForNotificationsAsync(1, "budget.threshold");
        _app.Clock.Advance(TimeSpan.FromDays(7)); // the next week: its own 80 %
        var nextWeek = DateOnly.FromDateTime(_app.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        var client = _app.Authorized((await _app.SignInAsync(me.Email, me.Password)).AccessToken); // the old token expired
        await client.CreateExpenseAsync(new { amount = "8", currency = "USD", date = nextWeek });
        var both = await client.WaitForNotificationsAsync(2, "budget.threshold");
        both.ShouldAllBe(n => n.Title == "Budget “Week” is at 80 %");
    }

    [Fact]
    public async Task BudgetThreshold_IsNotifiedWhenTheExpensesCameFromAnImport()
    {
        var (me, _) = await UserAsync("Ann");
        await (await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "Life", amount = "50", currency = "USD", period = "weekly", startDay = 1 }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        var csv = $"date,amount,payee\n{Today},30.00,Shop\n{Today},25.00,Market\n";
        var result = await me.Client.ImportAsync(csv, "today.csv", new() { ["mapping"] = """{"date":"date","amount":"amount","payee":"payee"}""" });
        result.Imported.ShouldBe(2, string.Join(", ", result.Errors));
        var n = (await me.Client.WaitForNotificationsAsync(1, "budget.threshold")).ShouldHaveSingleItem();
        n.Title.ShouldBe("Budget “Life” is used up", "one import crossing both thresholds tells the higher one");
    }

    [Fact]
    public async Task PasswordChange_IsASecurityNotification()
    {
        var (me, _) = await UserAsync("Ann");
        await (await me.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = me.Password, newPassword = "another long passphrase" }))
            .ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var n = (await me.Client.WaitForNotificationsAsync(1)).ShouldHaveSingleItem();
        (n.Kind, n.Title).ShouldBe(("security", "Your password was changed"));
    }

    [Fact]
    public async Task Preferences_DefaultOn_InAppOffStopsTheNotification_AndSecurityEmailStaysOn()
    {
        var (ann, annWallet) = await UserAsync("Ann");
        var (bob, bobWallet) = await UserAsync("Bob");
        var prefs = (await bob.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/notification-preferences"))!;
        prefs.Email.Count.ShouldBe(11);
        prefs.Email.Values.ShouldAllBe(on => on);
        prefs.InApp.Values.ShouldAllBe(on => on);
        (prefs.Locale, prefs.TimeZone).ShouldBe(("en-US", "UTC"));

        var put = await bob.Client.PutAsJsonAsync("/api/v1/me/notification-preferences",
            new { inApp = new Dictionary<string, bool> { ["transfer.received"] = false }, email = new Dictionary<string, bool> { ["budget.threshold"] = false }, locale = "de-DE", timeZone = "Europe/Berlin" });
        await put.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var changed = (await put.Content.ReadFromJsonAsync<PreferencesDto>())!;
        changed.InApp["transfer.received"].ShouldBeFalse();
        changed.Email["transfer.received"].ShouldBeTrue();
        changed.Email["budget.threshold"].ShouldBeFalse();
        (changed.Locale, changed.TimeZone).ShouldBe(("de-DE", "Europe/Berlin"));
        // Kinds left out keep their setting.
        await (await bob.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { email = new Dictionary<string, bool> { ["budget.threshold"] = true } })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var again = (await bob.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/notification-preferences"))!;
        again.InApp["transfer.received"].ShouldBeFalse();
        again.Email["budget.threshold"].ShouldBeTrue();

        var security = await bob.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { email = new Dictionary<string, bool> { ["security"] = false } });
        (await security.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldContain("email.security");
        var unknown = await bob.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { inApp = new Dictionary<string, bool> { ["nope"] = false }, locale = "xx-nope", timeZone = "Mars/Olympus" });
        (await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.Order().ShouldBe(["inApp.nope", "locale", "timeZone"]);

        await _app.FundAsync(ann.Id, annWallet.Id, "10.00");
        await ann.SendAsync(annWallet.Id, bobWallet.Id, "1.00");
        // The e-mail still goes out (pickup folder) while the in-app one is off.
        var mail = Path.Combine(_app.Database.Directory, "mail");
        await Eventually.TrueAsync(() => Task.FromResult(Directory.Exists(mail) && Directory.GetFiles(mail, "*.eml").Any(f => File.ReadAllText(f).Contains("1,00 USD"))));
        (await bob.Client.NotificationsAsync()).ShouldBeEmpty();
    }
}
