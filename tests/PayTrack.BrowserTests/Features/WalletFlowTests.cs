using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>Wallets in a real browser: deposit through the sandbox provider, send with confirmation, the recipient sees it.</summary>
public sealed class WalletFlowTests(BrowserFixture browser) : BrowserTest(browser)
{
    private static async Task DepositAsync(IPage page, string amount)
    {
        await page.GotoAsync("/wallets");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add money" }).First.ClickAsync();
        await page.GetByLabel("Amount (USD)").FillAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await page.WaitForURLAsync("**/payments/deposit/**");
        // The sandbox settles within seconds; the page refreshes itself (htmx) until then.
        await Assertions.Expect(page.GetByTestId("payment-status")).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task Deposit_ThenSendMoneyByEmail_WithConfirmation_TheRecipientSeesIt()
    {
        var (_, _) = await RegisterAndSignInAsync(Page, "Sam Sender");
        var bob = await NewPageAsync();
        var (bobEmail, _) = await RegisterAndSignInAsync(bob, "Bob Receiver");

        await Page.GotoAsync("/");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your wallet is empty" })).ToBeVisibleAsync();
        await DepositAsync(Page, "100");
        await ScreenshotAsync(Page, "deposit-status");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Send", Exact = true }).ClickAsync();
        await Page.GetByLabel("Their e-mail").FillAsync(bobEmail);
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("25.50");
        await Page.GetByLabel("What is it for? (optional)").FillAsync("Dinner");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Check and confirm" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("confirm-amount")).ToHaveTextAsync("$25.50");
        await ScreenshotAsync(Page, "send-confirm");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and send" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Sent $25.50 to {bobEmail}.");
        await Assertions.Expect(Page.GetByText("$74.50").First).ToBeVisibleAsync();

        await bob.GotoAsync("/wallets");
        await Assertions.Expect(bob.GetByTestId("balance-Main")).ToContainTextAsync("$25.50");
        await bob.GotoAsync("/");
        await Assertions.Expect(bob.GetByText("Received")).ToBeVisibleAsync();
        await Assertions.Expect(bob.GetByText("+$25.50")).ToBeVisibleAsync();

        await Page.GotoAsync("/wallets");
        await ScreenshotAsync(Page, "wallets");
    }

    [Fact]
    public async Task Send_WhenFundsAreShort_SaysSoNextToTheAmount_AndKeepsTheForm()
    {
        await RegisterAndSignInAsync(Page, "Nia Nomoney");
        var other = await NewPageAsync();
        var (otherEmail, _) = await RegisterAndSignInAsync(other, "Olu Other");

        await Page.GotoAsync("/send");
        await Page.GetByLabel("Their e-mail").FillAsync(otherEmail);
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("10");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and send" }).ClickAsync();

        await Assertions.Expect(Page.Locator("#amount-error")).ToContainTextAsync("0.00 USD available; 10.00 USD was asked for");
        (await Page.GetByLabel("Their e-mail").InputValueAsync()).ShouldBe(otherEmail);
        (await Page.GetByLabel("Amount", new() { Exact = true }).InputValueAsync()).ShouldBe("10");

        await Page.GetByLabel("Their e-mail").FillAsync("nobody@example.com");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#email-error")).ToContainTextAsync("No PayTrack user");
    }

    [Fact]
    public async Task HoldThenCapture_ShowsThePendingHoldUntilCaptured()
    {
        await RegisterAndSignInAsync(Page, "Hal Holder");
        await DepositAsync(Page, "50");
        await Page.GotoAsync("/wallets");
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Savings");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Open wallet" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Savings");

        await Page.GotoAsync("/send");
        await Page.GetByLabel("One of my wallets").CheckAsync();
        await Page.GetByLabel("My wallet", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Savings (USD)" });
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("20");
        await Page.GetByLabel("Put it on hold until I capture it").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and send" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("is on hold");

        await Page.GotoAsync("/wallets");
        var holds = Page.Locator("article", new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = "Pending holds" }) });
        await ScreenshotAsync(Page, "wallets-hold");
        await Assertions.Expect(holds.Locator(".badge", new() { HasText = "pending" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("balance-Main")).ToContainTextAsync("$50.00");
        // Capturing moves the money for good: PayTrack asks first, naming the amount and the wallet.
        string? asked = null;
        Page.Dialog += async (_, dialog) => { asked = dialog.Message; await dialog.AcceptAsync(); };
        await holds.GetByRole(AriaRole.Button, new() { Name = "Capture $20.00 to Savings" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("captured");
        asked.ShouldBe("Capture the hold: send $20.00 to Savings now? This cannot be undone.");
        await Assertions.Expect(Page.GetByTestId("balance-Savings")).ToContainTextAsync("$20.00");
        await Assertions.Expect(Page.GetByText("Nothing on hold.")).ToBeVisibleAsync();
    }
}
