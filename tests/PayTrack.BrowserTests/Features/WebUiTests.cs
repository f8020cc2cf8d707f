using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>Issue 14: reachable pages, a one-row phone header, dark mode, rules, bulk edits, income and honest totals.</summary>
public sealed class WebUiTests(BrowserFixture browser) : BrowserTest(browser)
{
    /// <summary>Every page a person (here an admin, who sees the most) can use, by path.</summary>
    private static readonly string[] Pages =
        ["/", "/expenses", "/expenses/new", "/categories", "/rules", "/import", "/budgets", "/reports", "/rates", "/wallets", "/send", "/settings", "/admin/users"];

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
}
