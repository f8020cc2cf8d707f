using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>Two people in one group, each in their own browser: one adds an expense, the other's open page shows it live.</summary>
public sealed class GroupsFlowTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task AnExpenseAddedByOne_AppearsOnTheOthersOpenGroupPage_WithinTwoSeconds()
    {
        await RegisterAndSignInAsync(Page, "Ana Owner");
        var ben = await NewPageAsync(width: 375, height: 812);
        var benEmail = $"ben-{Guid.NewGuid():N}"[..16] + "@example.com";
        await RegisterAsync(ben, "Ben Friend", benEmail);

        // Ana creates the group and an invite link for Ben.
        await Page.GotoAsync("/groups");
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Lisbon trip");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Lisbon trip" })).ToBeVisibleAsync();
        var groupUrl = Page.Url;
        await Page.GetByText("Invite someone").ClickAsync();
        await Page.GetByLabel("E-mail", new() { Exact = true }).FillAsync(benEmail);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create invite link" }).ClickAsync();
        var link = await Page.GetByLabel("Invite link").InputValueAsync();

        // Ben opens the link on his phone-sized screen and joins; his group page stays open.
        await ben.GotoAsync(new Uri(link).PathAndQuery);
        await ShouldNotScrollSidewaysAsync(ben);
        await ben.GetByRole(AriaRole.Button, new() { Name = "Join Lisbon trip" }).ClickAsync();
        await Assertions.Expect(ben.GetByRole(AriaRole.Heading, new() { Name = "Lisbon trip" })).ToBeVisibleAsync();
        await Assertions.Expect(ben.Locator("#group-live[data-live='open']")).ToBeAttachedAsync();
        await ShouldNotScrollSidewaysAsync(ben);

        // Ana adds an expense; the split editor shows each share as she types and explains a split that does not add up.
        await Page.GotoAsync(groupUrl + "/expenses/new");
        await Page.GetByLabel("What was it?").FillAsync("Dinner");
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("30");
        var shares = Page.Locator("[data-split-share]");
        await Assertions.Expect(shares.Nth(0)).ToHaveTextAsync("15.00");
        await Assertions.Expect(shares.Nth(1)).ToHaveTextAsync("15.00");
        await Page.GetByLabel("Exact amounts").CheckAsync();
        await Page.GetByLabel("Ana Owner's value").FillAsync("10");
        await Page.GetByLabel("Ben Friend's value").FillAsync("15");
        await Assertions.Expect(Page.Locator("[data-split-message]")).ToHaveTextAsync("The exact amounts add up to 25.00, not 30.00: 5.00 is not assigned to anyone.");
        await Page.GetByLabel("Equally").CheckAsync();
        await Assertions.Expect(Page.Locator("[data-split-message]")).ToHaveTextAsync("");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();
        await Page.WaitForURLAsync(groupUrl);
        var saved = DateTime.UtcNow;

        // Ben's page shows it and the new balances without a reload.
        var live = ben.Locator("#group-live");
        await Assertions.Expect(live).ToContainTextAsync("Dinner", new() { Timeout = 2_000 });
        await Assertions.Expect(live.Locator("table.balances")).ToContainTextAsync("15.00", new() { Timeout = 2_000 });
        (DateTime.UtcNow - saved).ShouldBeLessThan(TimeSpan.FromSeconds(2.5));
        await Assertions.Expect(live).ToContainTextAsync("Pay from wallet");
        // Paying moves money at once: Ben is asked first, and saying no moves nothing.
        var asked = new TaskCompletionSource<string>();
        ben.Dialog += async (_, dialog) => { asked.TrySetResult(dialog.Message); await dialog.DismissAsync(); };
        await live.GetByRole(AriaRole.Button, new() { Name = "Pay from wallet" }).ClickAsync();
        (await asked.Task.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("Pay $15.00 to Ana Owner from your wallet now?");
        await Assertions.Expect(live.GetByRole(AriaRole.Button, new() { Name = "Pay from wallet" })).ToBeVisibleAsync();
        await Assertions.Expect(live.Locator("table.balances")).ToContainTextAsync("15.00");
        await ShouldNotScrollSidewaysAsync(ben);
        await ScreenshotAsync(ben, "group-phone");
        await Page.ReloadAsync();
        await ScreenshotAsync(Page, "group");

        await ben.GotoAsync(new Uri(groupUrl).AbsolutePath + "/expenses/new");
        await ShouldNotScrollSidewaysAsync(ben);
        await ben.GetByLabel("Amount", new() { Exact = true }).FillAsync("12.50");
        await ben.GetByLabel("Shares", new() { Exact = true }).CheckAsync();
        await ben.GetByLabel("Ana Owner's value").FillAsync("2");
        await ben.GetByLabel("Ben Friend's value").FillAsync("3");
        await Assertions.Expect(ben.Locator("[data-split-share]").Nth(0)).ToHaveTextAsync("5.00");
        await Assertions.Expect(ben.Locator("[data-split-share]").Nth(1)).ToHaveTextAsync("7.50");
        await ben.GetByLabel("Ana Owner paid").FillAsync("10");
        await Assertions.Expect(ben.Locator("[data-split-message]")).ToHaveTextAsync("The payers' amounts add up to 10.00, not 12.50.");
        await ben.GetByLabel("Ben Friend paid").FillAsync("2.5");
        await Assertions.Expect(ben.Locator("[data-split-message]")).ToHaveTextAsync("");
        await ShouldNotScrollSidewaysAsync(ben);
        await ScreenshotAsync(ben, "group-expense-form-phone");
        await ben.GotoAsync("/groups");
        await Assertions.Expect(ben.GetByRole(AriaRole.Link, new() { Name = "Lisbon trip" })).ToBeVisibleAsync();
        await ShouldNotScrollSidewaysAsync(ben);
    }
}
