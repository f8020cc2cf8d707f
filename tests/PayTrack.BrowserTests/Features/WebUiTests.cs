using System.Text.Json;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>Issue 14: reachable pages, a one-row phone header, dark mode, rules, bulk edits, income and honest totals.</summary>
public sealed class WebUiTests(BrowserFixture browser) : BrowserTest(browser)
{
    /// <summary>Every page a person (here an admin, who sees the most) can use, by path.</summary>
    private static readonly string[] Pages =
        ["/", "/expenses", "/expenses/new", "/categories", "/rules", "/import", "/budgets", "/reports", "/rates", "/wallets", "/send", "/settings", "/admin/users",
         "/notifications", "/settings/notifications", "/webhooks"];

    [Fact]
    public async Task Crawler_FromTheDashboard_ReachesEveryPage_InAtMostTwoClicks()
    {
        await RegisterAndSignInAsync(Page, "Ada Admin");
        var seen = new Dictionary<string, int> { ["/"] = 0 };
        var frontier = new List<string> { "/" };
        for (var depth = 1; depth <= 2; depth++)
        {
            var next = new List<string>();
            foreach (var path in frontier)
            {
                var res = await Page.GotoAsync(path);
                res!.Status.ShouldBe(200, $"{path} answered {res.Status}");
                var hrefs = await Page.EvaluateAsync<string[]>(
                    "() => [...document.querySelectorAll('a[href^=\"/\"]')].map(a => a.getAttribute('href'))");
                foreach (var href in hrefs)
                {
                    var target = href.Split('#')[0].Split('?')[0];
                    if (target.Length == 0 || target.StartsWith("/api", StringComparison.Ordinal) || target.StartsWith("/lib", StringComparison.Ordinal)
                        || target.StartsWith("/receipts", StringComparison.Ordinal) || seen.ContainsKey(target)) continue;
                    seen[target] = depth;
                    next.Add(target);
                }
            }
            frontier = next;
        }
        foreach (var page in Pages)
            seen.ShouldContainKey(page, $"{page} is not reachable from the dashboard in two clicks; reached: {string.Join(", ", seen.Keys.Order())}");
        foreach (var page in Pages)
        {
            (await Page.GotoAsync(page))!.Status.ShouldBe(200);
            await Assertions.Expect(Page.Locator("h1")).Not.ToHaveTextAsync("Something went wrong");
        }
    }

    [Fact]
    public async Task Phone_HeaderIsOneRow_WithAMenuThatReachesEveryMainPage()
    {
        var phone = await NewPageAsync(375, 740);
        await RegisterAndSignInAsync(phone, "Pat Phone");
        foreach (var path in Pages)
        {
            await phone.GotoAsync(path);
            var header = await phone.Locator(".app-header").BoundingBoxAsync();
            header!.Height.ShouldBeLessThanOrEqualTo(64, $"the header on {path} takes {header.Height}px");
            await ShouldNotScrollSidewaysAsync(phone);
        }
        await phone.GotoAsync("/expenses");
        await ScreenshotAsync(phone, "phone-expenses-375");
        await phone.GetByText("Menu").Or(phone.Locator(".nav-menu > summary")).First.ClickAsync();
        var menu = phone.GetByRole(AriaRole.Navigation, new() { Name = "Main (menu)" });
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Reports" })).ToBeVisibleAsync();
        await ScreenshotAsync(phone, "phone-menu-375");
        await menu.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await phone.WaitForURLAsync("**/reports");
    }

    [Fact]
    public async Task DarkMode_FollowsTheSystem_AndTheSettingsSwitchOverridesIt()
    {
        var page = await NewPageAsync(colorScheme: ColorScheme.Dark);
        {
            await RegisterAndSignInAsync(page, "Dana Dark");
            var background = "() => getComputedStyle(document.body).backgroundColor";
            (await page.EvaluateAsync<string>(background)).ShouldBe("rgb(15, 23, 20)", "the system asks for dark: the page is dark");
            (await page.Locator("html").GetAttributeAsync("data-theme")).ShouldBeNull("automatic: Pico follows prefers-color-scheme too");
            (await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('h1')).color")).ShouldNotBe("rgb(45, 49, 56)", "headings are light on dark");
            await page.GotoAsync("/expenses/new");
            await ScreenshotAsync(page, "dark-expense-form");
            await page.GotoAsync("/");
            await ScreenshotAsync(page, "dark-dashboard");
            await page.GotoAsync("/expenses/new");
            await page.GetByLabel("Money in (income)").CheckAsync();
            await page.GetByLabel("Amount", new() { Exact = true }).FillAsync("1200");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();
            await page.GotoAsync("/reports");
            await Assertions.Expect(page.Locator("#cashflow-chart")).ToHaveAttributeAsync("data-ready", "true");
            (await page.EvaluateAsync<string>("() => window.Chart.defaults.color")).ShouldBe(await page.EvaluateAsync<string>("() => getComputedStyle(document.body).color"),
                "chart text takes the page's (light) text colour");
            await ScreenshotAsync(page, "dark-reports");

            await page.GotoAsync("/settings");
            await page.GetByLabel("Light").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save appearance" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Light mode is on.");
            (await page.EvaluateAsync<string>(background)).ShouldBe("rgb(244, 247, 246)", "the person chose light");

            await page.GetByLabel("Dark", new() { Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save appearance" }).ClickAsync();
            (await page.EvaluateAsync<string>(background)).ShouldBe("rgb(15, 23, 20)");
            (await page.Locator("html").GetAttributeAsync("data-theme")).ShouldBe("dark");
        }
        // A light system stays light by default.
        await RegisterAndSignInAsync(Page, "Lee Light");
        (await Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor")).ShouldBe("rgb(244, 247, 246)");
    }

    /// <summary>Arranges data through the API with a token, as a script would (the UI under test is what follows).</summary>
    private async Task<Func<object, Task>> ApiAsync(IPage page, string email)
    {
        var token = await page.APIRequest.PostAsync("/api/v1/auth/token", new() { DataObject = new { email, password = Password } });
        token.Status.ShouldBe(200);
        var access = (await token.JsonAsync())!.Value.GetProperty("accessToken").GetString()!;
        return async body =>
        {
            var res = await page.APIRequest.PostAsync("/api/v1/expenses", new()
            {
                DataObject = body, Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + access },
            });
            res.Status.ShouldBe(201);
        };
    }

    [Fact]
    public async Task Rules_CreateTestSaveApplyAndReorder()
    {
        var (email, _) = await RegisterAndSignInAsync(Page, "Rae Rules");
        var add = await ApiAsync(Page, email);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await add(new { amount = "80.00", date = today, payee = "City Power Co" });
        await add(new { amount = "20.00", date = today, payee = "City Power Co" });
        await add(new { amount = "12.00", date = today, payee = "Cinema" });

        await Page.GetByRole(AriaRole.Link, new() { Name = "Expenses", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "In this section" }).GetByRole(AriaRole.Link, new() { Name = "Rules" }).ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Power");
        await Page.GetByLabel("Condition 1: value").FillAsync("power");
        await Page.GetByLabel("Then set the category to").SelectOptionAsync(new SelectOptionValue { Label = "Utilities" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Test this rule" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("rule-test")).ToContainTextAsync("matches 2 expenses you already have and would change 2 of them");
        (await Page.GetByLabel("Name", new() { Exact = true }).InputValueAsync()).ShouldBe("Power", "testing keeps the form");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("It would change 2 expenses you already have");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Apply Power to existing expenses" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("2 expenses changed.");

        // A second rule, then move it first.
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Fun");
        await Page.GetByLabel("Condition 1: value").FillAsync("cinema");
        await Page.GetByLabel("And add tags (comma-separated)").FillAsync("fun");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Move Fun up" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".rule-list li").First).ToContainTextAsync("1. Fun");
        // A bad value is explained next to its row, in words.
        await Page.GetByLabel("Condition 1: field").SelectOptionAsync("amount");
        await Page.GetByLabel("Condition 1: comparison").SelectOptionAsync("gt");
        await Page.GetByLabel("Condition 1: value").FillAsync("lots");
        await Page.GetByLabel("And add tags (comma-separated)").FillAsync("big");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#c0-error")).ToContainTextAsync("The value must be a decimal amount such as 12.34.");
        await Page.GotoAsync("/rules");
        await ScreenshotAsync(Page, "rules");

        await Page.GotoAsync("/expenses");
        var power = Page.Locator("tbody tr", new() { HasText = "City Power Co" }).Locator("td.col-category");
        await Assertions.Expect(power).ToHaveCountAsync(2);
        await Assertions.Expect(power.First).ToContainTextAsync("Utilities");
        await Assertions.Expect(power.Last).ToContainTextAsync("Utilities");
    }

    [Fact]
    public async Task ExpenseList_PagesBothWaysWithATotal_AndBulkEdits()
    {
        var (email, _) = await RegisterAndSignInAsync(Page, "Bo Bulk");
        var add = await ApiAsync(Page, email);
        var day = DateTime.UtcNow.Date;
        for (var i = 0; i < 30; i++) await add(new { amount = $"{i + 1}.00", date = day.AddDays(-i).ToString("yyyy-MM-dd"), payee = $"Shop {i + 1:00}" });

        await Page.GotoAsync("/expenses");
        await Assertions.Expect(Page.GetByTestId("page-count")).ToHaveTextAsync("Page 1 of 2 · 30 entries");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("page-count")).ToHaveTextAsync("Page 2 of 2 · 30 entries");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Shop 30" })).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "← Newer" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("page-count")).ToHaveTextAsync("Page 1 of 2 · 30 entries");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Shop 01" })).ToBeVisibleAsync();

        await Page.GetByLabel("Tick Shop 01", new() { Exact = false }).CheckAsync();
        await Page.GetByLabel("Tick Shop 02", new() { Exact = false }).CheckAsync();
        await Page.GetByLabel("Category for the ticked entries").SelectOptionAsync(new SelectOptionValue { Label = "Food" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Set category" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 entries changed.");
        await Page.GotoAsync("/expenses?categoryId=" + await Page.Locator("#categoryId option", new() { HasText = "Food" }).First.GetAttributeAsync("value"));
        await Assertions.Expect(Page.GetByTestId("page-count")).ToHaveTextAsync("Page 1 of 1 · 2 entries");

        await Page.GotoAsync("/expenses");
        await Page.GetByLabel("Tick Shop 03", new() { Exact = false }).CheckAsync();
        await Page.GetByLabel("Tag to add to the ticked entries").FillAsync("gift");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add tag" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "gift" })).ToBeVisibleAsync();

        Page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await Page.GetByLabel("Tick Shop 04", new() { Exact = false }).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 entry deleted.");
        await Assertions.Expect(Page.GetByTestId("page-count")).ToHaveTextAsync("Page 1 of 2 · 29 entries");
        await ScreenshotAsync(Page, "expenses-bulk");

        var phone = await NewPageAsync(375, 740);
        await SignInAsync(phone, email);
        await phone.GotoAsync("/expenses");
        var row = await phone.Locator("table.compact tbody tr").First.BoundingBoxAsync();
        row!.Height.ShouldBeLessThan(70, "an expense is one compact row on a phone, not a tall card");
        await ShouldNotScrollSidewaysAsync(phone);
        await ScreenshotAsync(phone, "phone-expenses-375");
    }

    [Fact]
    public async Task Income_WithTheReadersDecimalComma_ShowsInCashFlow()
    {
        await RegisterAndSignInAsync(Page, "Ines Income", "EUR");
        await Page.GotoAsync("/expenses/new");
        await Page.GetByLabel("Money in (income)").CheckAsync();
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("2500");
        await Page.GetByLabel("Currency", new() { Exact = true }).SelectOptionAsync("EUR");
        await Page.GetByLabel("Payee", new() { Exact = true }).FillAsync("Employer");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();
        await Assertions.Expect(Page.GetByLabel("Money in (income)")).ToBeCheckedAsync();

        await Page.GotoAsync("/expenses/new");
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("19,99");
        await Page.GetByLabel("Currency", new() { Exact = true }).SelectOptionAsync("EUR");
        await Page.GetByLabel("Payee", new() { Exact = true }).FillAsync("Bakery");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved €19.99 at Bakery.");

        await Page.GotoAsync("/expenses?kind=income");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Employer" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Bakery" })).ToHaveCountAsync(0);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("report-total")).ToContainTextAsync("€19.99");
        await Assertions.Expect(Page.GetByTestId("cashflow-income")).ToContainTextAsync("€2,500.00");
        await Assertions.Expect(Page.GetByTestId("cashflow-net")).ToContainTextAsync("€2,480.01");
        await Assertions.Expect(Page.Locator("#cashflow-chart")).ToHaveAttributeAsync("data-ready", "true");
        await Page.Locator("#cashflow-h").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(Page, "cashflow");
    }

    [Fact]
    public async Task MissingRate_IsSaidNextToTheTotal_AndItsLinkLetsAnAdminAddIt_OrLoadTheEcbFile()
    {
        var (email, _) = await RegisterAndSignInAsync(Page, "Ada Admin", "EUR");
        var add = await ApiAsync(Page, email);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await add(new { amount = "10.00", date = today, payee = "Bakery" });
        await add(new { amount = "1000", currency = "JPY", date = today, payee = "Ramen" });

        await Page.GotoAsync("/");
        await Assertions.Expect(Page.GetByTestId("month-total")).ToContainTextAsync("€10.00");
        var notice = Page.GetByTestId("missing-rates");
        await Assertions.Expect(notice).ToContainTextAsync("Not included: amounts in JPY");
        await ScreenshotAsync(Page, "dashboard-missing-rate");
        await notice.GetByRole(AriaRole.Link, new() { Name = "Add the missing rate" }).ClickAsync();
        (await Page.GetByLabel("One unit of").InputValueAsync()).ShouldBe("JPY");
        (await Page.GetByLabel("Of", new() { Exact = true }).InputValueAsync()).ShouldBe("EUR");
        (await Page.GetByLabel("From date").InputValueAsync()).ShouldBe(today);
        await Page.GetByLabel("Is worth").FillAsync("0,0061");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save rate" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved: 1 JPY = 0,0061 EUR");

        await Page.GotoAsync("/");
        await Assertions.Expect(Page.GetByTestId("month-total")).ToContainTextAsync("€16.10");
        await Assertions.Expect(Page.GetByTestId("missing-rates")).ToHaveCountAsync(0);

        // The ECB's daily file, as downloaded (unzipped): spelled-out date, trailing comma.
        await Page.GotoAsync("/rates");
        var ecb = "Date, USD, JPY, GBP, \n" + DateTime.UtcNow.ToString("dd MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture) + ", 1.0512, 161.25, 0.8301, \n";
        await Page.GetByLabel("Rates file (CSV or ZIP, up to 20 MiB)").SetInputFilesAsync(new FilePayload { Name = "eurofxref.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(ecb) });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Load rates" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Loaded 3 rates");
        await Assertions.Expect(Page.GetByText("1 EUR = 161.25 JPY")).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "rates");

        // Someone who is not an admin sees the rates but cannot change them.
        var other = await NewPageAsync();
        await RegisterAndSignInAsync(other, "Uma User");
        await other.GotoAsync("/rates");
        await Assertions.Expect(other.GetByText("Only an administrator can add rates.")).ToBeVisibleAsync();
        await Assertions.Expect(other.GetByRole(AriaRole.Button, new() { Name = "Save rate" })).ToHaveCountAsync(0);
    }
}
