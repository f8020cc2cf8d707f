using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>
/// What a new person tripped over when walking every page: a header in three rows on a laptop, sections that
/// did not say where you are, deletes that did not ask, and money forms that refused "25,50".
/// </summary>
public sealed class NewUserWalkTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Header_IsOneRow_OnALaptopToo_AndTheNavigationShowsWhereYouAre()
    {
        // The first person is an admin: the longest navigation (ten links).
        await RegisterAndSignInAsync(Page, "Ada Admin");
        foreach (var width in new[] { 1024, 1280, 1440 })
        {
            await Page.SetViewportSizeAsync(width, 860);
            foreach (var path in new[] { "/", "/expenses", "/notifications" })
            {
                await Page.GotoAsync(path);
                var header = await Page.Locator(".app-header").BoundingBoxAsync();
                header!.Height.ShouldBeLessThanOrEqualTo(64, $"at {width}px the header on {path} takes {header.Height}px");
                await ShouldNotScrollSidewaysAsync(Page);
            }
        }

        // Below 1280px the navigation is the menu; on a small laptop it drops down under its button, not across the page.
        await Page.SetViewportSizeAsync(1024, 860);
        await Page.Locator(".nav-menu > summary").ClickAsync();
        var panel = Page.GetByRole(AriaRole.Navigation, new() { Name = "Main (menu)" });
        await Assertions.Expect(panel.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToBeVisibleAsync();
        (await panel.BoundingBoxAsync())!.Width.ShouldBeLessThan(500);
        await ShouldNotScrollSidewaysAsync(Page);
        await Page.SetViewportSizeAsync(1280, 860);

        // A page under a section's tab marks that tab: the new-expense form is in Entries.
        await Page.GotoAsync("/expenses/new");
        var tabs = Page.GetByRole(AriaRole.Navigation, new() { Name = "In this section" });
        await Assertions.Expect(tabs.Locator("[aria-current=page]")).ToHaveTextAsync("Entries");
        await Page.GotoAsync("/settings/notifications");
        await Assertions.Expect(tabs.Locator("[aria-current=page]")).ToHaveTextAsync("Notifications");
        // The settings and the inbox are two pages: their headings say which one you are on.
        await Assertions.Expect(Page.Locator("h1")).ToHaveTextAsync("Notification settings");

        // The inbox is a Settings tab: the main navigation says Settings, on a laptop and in the phone menu.
        await Page.GotoAsync("/notifications");
        var main = Page.GetByRole(AriaRole.Navigation, new() { Name = "Main", Exact = true });
        await Assertions.Expect(main.Locator("[aria-current=page]")).ToHaveTextAsync("Settings");
        await Assertions.Expect(tabs.Locator("[aria-current=page]")).ToHaveTextAsync("Inbox");
        await Assertions.Expect(Page.Locator("h1")).ToHaveTextAsync("Notifications");
        await Page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(Page.Locator(".nav-menu__current")).ToHaveTextAsync("Settings");
    }

    [Fact]
    public async Task SignedOut_OnAPhone_TheHeaderIsOneRow()
    {
        foreach (var width in new[] { 360, 390 })
        {
            var phone = await NewPageAsync(width, 800);
            foreach (var path in new[] { "/sign-in", "/register", "/no-such-page" })
            {
                await phone.GotoAsync(path);
                var header = await phone.Locator(".app-header").BoundingBoxAsync();
                header!.Height.ShouldBeLessThanOrEqualTo(64, $"signed out at {width}px the header on {path} takes {header.Height}px");
                await ShouldNotScrollSidewaysAsync(phone);
            }
        }
    }

    [Fact]
    public async Task NotificationSettings_OnAPhone_RowsStayCompact_AndEveryBoxKeepsItsName()
    {
        var phone = await NewPageAsync(390, 844);
        await RegisterAndSignInAsync(phone, "Pia Phone");
        await phone.GotoAsync("/settings/notifications");
        var row = phone.Locator("tbody tr", new() { Has = phone.GetByRole(AriaRole.Rowheader, new() { Name = "Money received" }) });
        (await row.BoundingBoxAsync())!.Height.ShouldBeLessThanOrEqualTo(60, "the column headers say 'In the app' and 'By e-mail'; the cells need not repeat it");
        await Assertions.Expect(phone.GetByLabel("Money received in the app")).ToBeCheckedAsync();
        await Assertions.Expect(phone.GetByLabel("Deposits by e-mail")).ToBeCheckedAsync();
        await ShouldNotScrollSidewaysAsync(phone);
    }

    [Fact]
    public async Task DeletingACategoryOrAWebhook_AsksFirst_AndCancellingKeepsIt()
    {
        await RegisterAndSignInAsync(Page, "Cat Keeper");
        var answer = false;
        var asked = new List<string>();
        Page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            if (answer) await dialog.AcceptAsync(); else await dialog.DismissAsync();
        };

        await Page.GotoAsync("/categories");
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Pets");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add category" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Edit Pets" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete category" }).ClickAsync();
        await AskedAsync(asked, 1);
        asked.ShouldHaveSingleItem().ShouldContain("Pets");
        await Page.GotoAsync("/categories");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Edit Pets" })).ToBeVisibleAsync();

        await Page.GotoAsync("/webhooks");
        await Page.GetByLabel("URL").FillAsync("https://93.184.215.14/paytrack");
        await Page.GetByLabel("All events").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#webhook-secret")).ToBeVisibleAsync();
        var delete = Page.GetByRole(AriaRole.Button, new() { Name = "Delete the webhook to https://93.184.215.14/paytrack" });
        await delete.ClickAsync();
        await AskedAsync(asked, 2);
        asked[1].ShouldContain("https://93.184.215.14/paytrack");
        await Assertions.Expect(delete).ToBeVisibleAsync();

        answer = true;
        await delete.ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The webhook is deleted.");
        await Assertions.Expect(Page.GetByText("No webhooks yet.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task BulkDelete_WithNothingTicked_SaysSoWithoutAsking_AndWithATickAsksFirst()
    {
        await RegisterAndSignInAsync(Page, "Tia Tick");
        await Page.GotoAsync("/expenses/new");
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("3");
        await Page.GetByLabel("Payee", new() { Exact = true }).FillAsync("Kiosk");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();
        var asked = new List<string>();
        var firstQuestion = new TaskCompletionSource<string>();
        Page.Dialog += async (_, dialog) => { asked.Add(dialog.Message); firstQuestion.TrySetResult(dialog.Message); await dialog.DismissAsync(); };

        await Page.GotoAsync("/expenses");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Tick the entries to change first.");
        asked.ShouldBeEmpty("nothing was ticked, so there was nothing to confirm");

        await Page.GetByLabel("Tick Kiosk", new() { Exact = false }).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        (await firstQuestion.Task.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("Delete the ticked entries and their receipts?");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Kiosk" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Webhook_ErrorsSitUnderTheirFields_InAPersonsWords()
    {
        await RegisterAndSignInAsync(Page, "Hook Maker");
        await Page.GotoAsync("/webhooks");
        await Page.EvaluateAsync("() => document.querySelectorAll('form').forEach(f => f.noValidate = true)");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#url-error")).ToHaveTextAsync("URL is required.");
        await Assertions.Expect(Page.GetByLabel("URL")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(Page.GetByLabel("URL")).ToBeFocusedAsync();
        await Assertions.Expect(Page.Locator("#events-error")).Not.ToBeEmptyAsync();
    }

    [Fact]
    public async Task Send_TakesACommaAmount_AndConfirmsItInTheWalletsCurrency()
    {
        var friend = await NewPageAsync();
        var (friendEmail, _) = await RegisterAndSignInAsync(friend, "Fay Friend", currency: "EUR");
        await RegisterAndSignInAsync(Page, "Sam Sender", currency: "EUR");
        await Page.GotoAsync("/wallets");
        await Page.Locator("a[href$='/deposit']").First.ClickAsync();
        await Page.GetByLabel("Amount (EUR)").FillAsync("100,00");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("payment-status")).ToHaveTextAsync("completed");
        await Assertions.Expect(Page.Locator(".stat").First).ToContainTextAsync("€100.00");

        await Page.GotoAsync("/send");
        await Page.GetByLabel("Their e-mail").FillAsync(friendEmail);
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("25,50");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("confirm-amount")).ToHaveTextAsync("€25.50");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and send" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Sent €25.50");
        await Page.GotoAsync("/wallets");
        await Assertions.Expect(Page.GetByTestId("balance-Main")).ToContainTextAsync("€74.50");
    }

    [Fact]
    public async Task Budget_PastEightyPercent_TurnsAmber_OnTheBudgetsPageAndTheDashboard()
    {
        await RegisterAndSignInAsync(Page, "Bo Budget", currency: "EUR");
        await Page.GotoAsync("/expenses/new");
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("42,30");
        await Page.GetByLabel("Category", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Food" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();
        await Page.GotoAsync("/budgets");
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Food");
        await Page.GetByLabel("Limit").FillAsync("50");
        await Page.GetByLabel("Category", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Food" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create budget" }).ClickAsync();

        var bar = Page.GetByRole(AriaRole.Progressbar, new() { Name = "Food: 84.6% used" });
        await Assertions.Expect(bar).ToHaveClassAsync("near");
        await Assertions.Expect(Page.Locator(".budget-row__meta")).ToContainTextAsync("Food · Monthly");
        await Page.GotoAsync("/");
        await Assertions.Expect(bar).ToHaveClassAsync("near");
    }

    /// <summary>Waits until <paramref name="count"/> questions were asked: the dialog event can arrive just after the click returns.</summary>
    private static async Task AskedAsync(List<string> asked, int count)
    {
        for (var i = 0; i < 100 && asked.Count < count; i++) await Task.Delay(100);
        asked.Count.ShouldBe(count);
    }
}
