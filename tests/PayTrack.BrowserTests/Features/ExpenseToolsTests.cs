using System.Text;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>Import with column mapping and per-line errors, budgets with progress, expense filters — in a real browser.</summary>
public sealed class ExpenseToolsTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task ImportCsv_MapColumns_SeePerLineErrors_ThenImportTheGoodLines()
    {
        await RegisterAndSignInAsync(Page, "Ivy Importer");
        var today = DateTime.UtcNow;
        var csv = new StringBuilder()
            .AppendLine("Booked;Merchant;Betrag;Memo")
            .AppendLine($"{today:dd.MM.yyyy};Bakery;4,20;bread")
            .AppendLine($"{today:dd.MM.yyyy};Cinema;not-a-number;film")
            .AppendLine($"{today:dd.MM.yyyy};Books & Co;18,90;novel")
            .ToString();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Import", Exact = true }).ClickAsync();
        await Page.GetByLabel("Statement file").SetInputFilesAsync(new FilePayload { Name = "bank.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Which column is which?" })).ToBeVisibleAsync();
        (await Page.GetByLabel("Amount", new() { Exact = true }).InputValueAsync()).ShouldBe("Betrag", "guessed from the header");
        (await Page.GetByLabel("Decimal separator").InputValueAsync()).ShouldBe(",", "guessed from the first row");
        await Page.GetByLabel("Date", new() { Exact = true }).SelectOptionAsync("Booked");
        await Page.GetByLabel("Payee (optional)").SelectOptionAsync("Merchant");
        await Page.GetByLabel("Description (optional)").SelectOptionAsync("Memo");
        await Page.GetByLabel("Date format (optional)").FillAsync("dd.MM.yyyy");
        await ScreenshotAsync(Page, "import-mapping");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("imported")).ToContainTextAsync("0");
        await Assertions.Expect(Page.GetByTestId("failed")).ToContainTextAsync("1");
        var errors = Page.Locator("table", new() { Has = Page.GetByRole(AriaRole.Columnheader, new() { Name = "Problem" }) });
        await Assertions.Expect(errors.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(errors.Locator("tbody tr td").First).ToHaveTextAsync("3");
        await ScreenshotAsync(Page, "import-errors");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Import the good lines" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("imported")).ToContainTextAsync("2");

        await Page.GotoAsync("/expenses");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Bakery" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Books & Co" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByText("$18.90")).ToBeVisibleAsync();

        // The API's filters: a search narrows the list.
        await Page.GetByText("Filter").ClickAsync();
        await Page.GetByLabel("Search payee or description").FillAsync("novel");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Books & Co" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Bakery" })).ToHaveCountAsync(0);
        await ScreenshotAsync(Page, "expenses");
    }

    [Fact]
    public async Task Budget_ShowsItsProgress_OnTheBudgetsPageAndTheDashboard()
    {
        await RegisterAndSignInAsync(Page, "Bea Budget");
        await Page.GotoAsync("/expenses/new");
        await Page.GetByLabel("Amount", new() { Exact = true }).FillAsync("75");
        await Page.GetByLabel("Category", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Food" });
        await Page.GetByLabel("Payee", new() { Exact = true }).FillAsync("Market");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save expense" }).ClickAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Budgets", Exact = true }).ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Groceries");
        await Page.GetByLabel("Limit").FillAsync("abc");
        await Page.GetByLabel("Category", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Food" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create budget" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#b-amount-error")).ToContainTextAsync("is not a decimal amount");
        (await Page.GetByLabel("Name", new() { Exact = true }).InputValueAsync()).ShouldBe("Groceries");

        await Page.GetByLabel("Limit").FillAsync("300");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create budget" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Budget “Groceries” is set.");
        var bar = Page.GetByRole(AriaRole.Progressbar, new() { Name = "Groceries: 25% used" });
        await Assertions.Expect(bar).ToHaveAttributeAsync("value", "25");
        await Assertions.Expect(Page.GetByText("$225.00 left")).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "budgets");

        await Page.GotoAsync("/");
        await Assertions.Expect(Page.GetByRole(AriaRole.Progressbar, new() { Name = "Groceries: 25% used" })).ToBeVisibleAsync();
    }
}
