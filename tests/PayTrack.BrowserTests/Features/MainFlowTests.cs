using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>
/// Issue 5's main flow in one go: register → sign in → add expense → see it on the dashboard and in
/// the report chart (hovering shows the value) → upload a receipt → send money to a second user who
/// then sees it → sign out.
/// </summary>
public sealed class MainFlowTests(BrowserFixture browser) : BrowserTest(browser)
{
    // A real 1×1 PNG, so the receipt preview is an image.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Register_AddExpense_Dashboard_ReportChart_Receipt_SendMoney_SignOut()
    {
        // Register and sign in.
        await RegisterAndSignInAsync(Page, "Robin Main");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Robin Main" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByText("Nothing spent this month yet.")).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "dashboard-empty");

        // Add an expense.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Expenses", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "No expenses yet" })).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add your first expense" }).ClickAsync();
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("12.50");
        await Page.GetByLabel("Category", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Food" });
        await Page.GetByLabel("Payee", new() { Exact = true }).FillAsync("Corner Café");
        await Page.GetByLabel("Tags (comma-separated)").FillAsync("lunch, work");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved $12.50 at Corner Café.");

        // Upload a receipt to it.
        await Page.GetByLabel("Receipt file").SetInputFilesAsync(new FilePayload { Name = "cafe.png", MimeType = "image/png", Buffer = Png });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upload receipt" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The receipt is attached.");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "cafe.png" })).ToBeVisibleAsync();
        var receipt = await Page.APIRequest.GetAsync((await Page.GetByRole(AriaRole.Link, new() { Name = "cafe.png" }).GetAttributeAsync("href"))!);
        receipt.Status.ShouldBe(200);
        (await receipt.BodyAsync()).ShouldBe(Png);
        await ScreenshotAsync(Page, "expense");

        // The dashboard shows it, with the category chart.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("month-total")).ToContainTextAsync("$12.50");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Corner Café" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#dashboard-chart")).ToHaveAttributeAsync("data-ready", "true");

        // The report's chart shows the value when hovered.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("report-total")).ToContainTextAsync("$12.50");
        var chart = Page.Locator("#report-chart");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-ready", "true");
        (await HoverFirstSliceAsync(Page, chart)).ShouldContain("Food: $12.50");
        await ScreenshotAsync(Page, "reports");
        // Grouping by month draws bars; the CSV has the same figures.
        await Page.GetByLabel("Group by").SelectOptionAsync("month");
        await Page.WaitForURLAsync("**groupBy=month**");
        await Assertions.Expect(Page.Locator("#report-chart")).ToHaveAttributeAsync("data-ready", "true");
        var csvDownload = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await csvDownload.PathAsync())!);
        csv.ShouldContain("12.50");

        // Send money to a second person, who sees it.
        var friend = await NewPageAsync();
        var (friendEmail, _) = await RegisterAndSignInAsync(friend, "Frankie Friend");
        await Page.GotoAsync("/wallets");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add money" }).First.ClickAsync();
        await Page.GetByLabel("Amount (USD)").FillAsync("40");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("payment-status")).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Page.GetByRole(AriaRole.Link, new() { Name = "Send", Exact = true }).ClickAsync();
        await Page.GetByLabel("Their e-mail").FillAsync(friendEmail);
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("15");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and send" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Sent $15.00");

        await friend.GotoAsync("/");
        await Assertions.Expect(friend.GetByTestId("dash-balance-Main")).ToContainTextAsync("$15.00");
        await Assertions.Expect(friend.GetByText("+$15.00")).ToBeVisibleAsync();

        await Page.GotoAsync("/");
        await ScreenshotAsync(Page, "dashboard");

        // Sign out.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.WaitForURLAsync("**/sign-in");
        await Page.GotoAsync("/expenses");
        Page.Url.ShouldContain("/sign-in?returnUrl=%2Fexpenses");
    }

    /// <summary>Moves the mouse onto the chart's first element and answers the tooltip's lines.</summary>
    private static async Task<string> HoverFirstSliceAsync(IPage page, ILocator canvas)
    {
        var box = (await canvas.BoundingBoxAsync())!;
        var pos = await canvas.EvaluateAsync<double[]>("c => { const p = c.__chart.getDatasetMeta(0).data[0].tooltipPosition(); return [p.x, p.y]; }");
        await page.Mouse.MoveAsync((float)(box.X + pos[0]), (float)(box.Y + pos[1]));
        await page.WaitForFunctionAsync("() => document.getElementById('report-chart').__chart.tooltip.getActiveElements().length > 0");
        return await canvas.EvaluateAsync<string>("c => c.__chart.tooltip.body.flatMap(b => b.lines).join('\\n')");
    }
}
