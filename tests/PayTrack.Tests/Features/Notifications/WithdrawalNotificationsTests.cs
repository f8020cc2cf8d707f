using System.Net;
using System.Net.Http.Json;
using MimeKit;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Notifications;

/// <summary>
/// <c>withdrawal.completed</c>: a withdrawal through the sandbox provider (callbacks over real HTTP) that succeeds
/// or is declined tells its owner in the app and by e-mail (a real SMTP server on loopback), in their format.
/// </summary>
public sealed class WithdrawalNotificationsTests : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();
    private PayTrackApp _app = null!;

    public async Task InitializeAsync()
    {
        await _smtp.StartAsync();
        _app = new PayTrackApp(await TestDatabase.CreateAsync(), new Dictionary<string, string?>
        {
            ["Outbox:PollIntervalMs"] = "50", ["Outbox:RetryBaseMs"] = "100", ["RateLimits:Enabled"] = "false",
            ["Email:Mode"] = "smtp", ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:From"] = "PayTrack <noreply@paytrack.test>", ["Email:Smtp:TimeoutSeconds"] = "5", ["Email:BaseUrl"] = "https://paytrack.test",
        }, kestrel: true);
        _app.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    /// <summary>A user who reads e-mails in German format and Berlin time, with 5,000.00 EUR in the wallet.</summary>
    private async Task<(SignedInUser User, AccountDto Wallet)> FundedUserAsync()
    {
        var user = await _app.RegisterAndSignInAsync(currency: "EUR", displayName: "Ann");
        await (await user.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { locale = "de-DE", timeZone = "Europe/Berlin" }))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        var wallet = await PayTrackApp.MainWalletAsync(user);
        await _app.FundAsync(user.Id, wallet.Id, "5000.00");
        return (user, wallet);
    }

    private async Task<PaymentDto> WithdrawAsync(SignedInUser user, Guid walletId, string amount, string destination)
    {
        var res = await PayTrackApp.PostIdempotentAsync(user.Client, "/api/v1/withdrawals", new { accountId = walletId, amount, destination });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var w = (await res.Content.ReadFromJsonAsync<PaymentDto>())!;
        return await Eventually.ReturnsAsync(async () => (await user.Client.GetFromJsonAsync<PaymentDto>($"/api/v1/withdrawals/{w.Id}"))!,
            p => p.Status != "pending", $"withdrawal {w.Id} to settle");
    }

    private Task<MimeMessage> MailAsync(string address, string subject) =>
        Eventually.ReturnsAsync(() => Task.FromResult(_smtp.To(address).FirstOrDefault(m => m.Subject == subject)), m => m is not null, $"the e-mail '{subject}'", 30_000)!;

    [Fact]
    public async Task WithdrawalSucceeded_NotifiesInTheAppAndByEmail_WithTheAmount()
    {
        var (ann, wallet) = await FundedUserAsync();
        (await WithdrawAsync(ann, wallet.Id, "1234.50", "IBAN DE00 1234")).Status.ShouldBe("success");

        var note = (await ann.Client.WaitForNotificationsAsync(1, "withdrawal.completed")).ShouldHaveSingleItem();
        note.Title.ShouldBe("Your withdrawal of 1.234,50 EUR completed");
        note.Body.ShouldBe("1.234,50 EUR left your wallet for your bank.");
        note.Link.ShouldBe($"/wallets/{wallet.Id}");

        var mail = await MailAsync(ann.Email, "Your withdrawal of 1.234,50 EUR completed");
        mail.To.Mailboxes.Single().Address.ShouldBe(ann.Email);
        foreach (var body in new[] { mail.TextBody!, WebUtility.HtmlDecode(mail.HtmlBody!) })
        {
            body.ShouldContain("1.234,50 EUR left your wallet for your bank.");
            body.ShouldContain("completed");
            body.ShouldContain("(Europe/Berlin)");
            body.ShouldNotContain("Reason");
        }
        var text = mail.TextBody!.ReplaceLineEndings("\n");
        text.ShouldContain("  Amount: 1.234,50 EUR\n");
        text.ShouldContain("  Status: completed\n");
        text.ShouldContain($"Open in PayTrack: https://paytrack.test/wallets/{wallet.Id}");
        text.ShouldContain("e-mails for \"Withdrawals\" are on");

        await Task.Delay(500);
        _smtp.To(ann.Email).Count(m => m.Subject!.StartsWith("Your withdrawal", StringComparison.Ordinal)).ShouldBe(1, "one withdrawal, one e-mail");
    }

    [Fact]
    public async Task WithdrawalFailed_NotifiesInTheAppAndByEmail_WithTheAmountAndReason()
    {
        var (ann, wallet) = await FundedUserAsync();
        var failed = await WithdrawAsync(ann, wallet.Id, "20.00", "sandbox:decline");
        failed.Status.ShouldBe("failed");
        failed.FailureReason.ShouldBe("destination rejected");

        var note = (await ann.Client.WaitForNotificationsAsync(1, "withdrawal.completed")).ShouldHaveSingleItem();
        note.Title.ShouldBe("Your withdrawal of 20,00 EUR failed");
        note.Body.ShouldBe("Your withdrawal of 20,00 EUR did not go through; the money is back in your wallet.");
        note.Link.ShouldBe($"/wallets/{wallet.Id}");

        var mail = await MailAsync(ann.Email, "Your withdrawal of 20,00 EUR failed");
        foreach (var body in new[] { mail.TextBody!, WebUtility.HtmlDecode(mail.HtmlBody!) })
        {
            body.ShouldContain("Your withdrawal of 20,00 EUR did not go through; the money is back in your wallet.");
            body.ShouldContain("destination rejected");
            body.ShouldContain("failed");
        }
        var text = mail.TextBody!.ReplaceLineEndings("\n");
        text.ShouldContain("  Amount: 20,00 EUR\n");
        text.ShouldContain("  Status: failed\n");
        text.ShouldContain("  Reason: destination rejected\n");
    }
}
