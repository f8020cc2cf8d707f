using System.Text;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>The import wizard (detection, guessed columns, per-row preview, per-line errors), budgets with progress, expense filters — in a real browser.</summary>
public sealed class ExpenseToolsTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task ImportWizard_ShowsWhatWasDetected_AndEachRow_ThenImportsTheGoodLines()
    {
        await RegisterAndSignInAsync(Page, "Ivy Importer");
        var today = DateTime.UtcNow;
        // A German bank file: a preamble above the header, Windows-1252, semicolons, decimal commas, a trailing delimiter.
        var csv = new StringBuilder()
            .Append("Konto;DE12 3456 7890;\r\n\r\n")
            .Append("Buchungstag;Empfänger;Betrag;Verwendungszweck;\r\n")
            .Append($"{today:dd.MM.yyyy};Bäckerei;-4,20;bread;\r\n")
            .Append($"{today:dd.MM.yyyy};Cinema;not-a-number;film;\r\n")
            .Append($"{today:dd.MM.yyyy};Books & Co;-18,90;novel;\r\n")
            .Append($"{today:dd.MM.yyyy};Employer;1.500,00;salary;\r\n")
            .ToString();
        var windows1252 = csv.Select(c => (byte)c).ToArray();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Import", Exact = true }).ClickAsync();
        await Page.GetByLabel("Statement file").SetInputFilesAsync(new FilePayload { Name = "umsaetze.csv", MimeType = "text/csv", Buffer = windows1252 });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "What we found" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("format")).ToHaveTextAsync("CSV");
        await Assertions.Expect(Page.GetByTestId("encoding")).ToContainTextAsync("Windows-1252");
        await Assertions.Expect(Page.GetByTestId("header-line")).ToHaveTextAsync("line 3");
        (await Page.GetByLabel("Date", new() { Exact = true }).InputValueAsync()).ShouldBe("Buchungstag", "guessed from a German header");
        (await Page.GetByLabel("Amount (one column, signed)").InputValueAsync()).ShouldBe("Betrag");
        (await Page.GetByLabel("Payee", new() { Exact = true }).InputValueAsync()).ShouldBe("Empfänger");
        (await Page.GetByLabel("Decimal separator").InputValueAsync()).ShouldBe(",");
        var rows = Page.GetByTestId("preview-rows").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Bäckerei");
        await Assertions.Expect(rows.Nth(1)).ToHaveAttributeAsync("data-status", "error");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("not-a-number");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("Income");

        // A mapping that cannot work says so on this step, in words.
        await Page.GetByLabel("Date", new() { Exact = true }).SelectOptionAsync("");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check the rows again" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("has no column for the date");
        await Page.GetByLabel("Date", new() { Exact = true }).SelectOptionAsync("Buchungstag");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check the rows again" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        // A change to the mapping is checked again before anything is stored.
        await Page.GetByLabel("Which rows are spending?").SelectOptionAsync("all");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check the rows again" }).ClickAsync();
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("Spending");
        await Page.GetByLabel("Which rows are spending?").SelectOptionAsync("auto");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check the rows again" }).ClickAsync();
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("Income");
        await ScreenshotAsync(Page, "import-review");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("imported")).ToContainTextAsync("0");
        await Assertions.Expect(Page.GetByTestId("failed")).ToContainTextAsync("1");
        var errors = Page.Locator("table", new() { Has = Page.GetByRole(AriaRole.Columnheader, new() { Name = "Problem" }) });
        await Assertions.Expect(errors.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(errors.Locator("tbody tr td").First).ToHaveTextAsync("5");
        await ScreenshotAsync(Page, "import-errors");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Import the good lines" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("imported")).ToContainTextAsync("2");
        await Assertions.Expect(Page.GetByTestId("incoming")).ToContainTextAsync("1");

        await Page.GotoAsync("/expenses");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Bäckerei" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Books & Co" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByText("$18.90")).ToBeVisibleAsync();

        // The API's filters: a search narrows the list.
        await Page.GetByText("Filter").ClickAsync();
        await Page.GetByLabel("Search payee or description").FillAsync("novel");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Books & Co" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Bäckerei" })).ToHaveCountAsync(0);
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
        await Assertions.Expect(Page.Locator("#b-amount-error")).ToHaveTextAsync("Limit must be a number such as 12.50.");
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
