using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Imports;

public sealed class ImportsTests : ApiTest
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Imports", "Fixtures", name));

    private static async Task<List<ExpenseDto>> AllExpensesAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?limit=200"))!.Items;

    [Fact]
    public async Task Csv_ImportsRows_MatchesCategoriesByName_AndReimportImportsNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var fields = new Dictionary<string, string> { ["mapping"] = """{"date":"date","amount":"amount","payee":"payee","description":"description","category":"category"}""" };
        var first = await me.Client.ImportAsync(Fixture("simple.csv"), "simple.csv", fields);
        (first.Imported, first.Duplicates, first.Failed, first.Skipped).ShouldBe((4, 0, 0, 0), customMessage: string.Join(", ", first.Errors));
        var expenses = await AllExpensesAsync(me.Client);
        expenses.Count.ShouldBe(4);
        var food = await me.Client.CategoryAsync("Food");
        expenses.Single(e => e.Payee == "Corner Café").CategoryId.ShouldBe(food.Id);
        expenses.Single(e => e.Payee == "Unknown Shop").CategoryId.ShouldBeNull();
        expenses.Single(e => e.Payee == "Unknown Shop").Amount.ShouldBe("7.50");

        var again = await me.Client.ImportAsync(Fixture("simple.csv"), "simple.csv", fields);
        again.Imported.ShouldBe(0);
        again.Duplicates.ShouldBe(4);
        (await AllExpensesAsync(me.Client)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task Csv_WithBadRows_ImportsNothing_UnlessSkipInvalid()
    {
        var me = await App.RegisterAndSignInAsync();
        var mapping = """{"date":"date","amount":"amount","payee":"payee"}""";
        var strict = await me.Client.ImportAsync(Fixture("bad-rows.csv"), "bad.csv", new() { ["mapping"] = mapping });
        strict.Imported.ShouldBe(0);
        strict.Failed.ShouldBe(3);
        strict.Errors.Select(e => e.Line).ShouldBe([3, 4, 5]);
        (await AllExpensesAsync(me.Client)).ShouldBeEmpty();

        var lenient = await me.Client.ImportAsync(Fixture("bad-rows.csv"), "bad.csv", new() { ["mapping"] = mapping, ["skipInvalid"] = "true" });
        lenient.Imported.ShouldBe(3);
        lenient.Failed.ShouldBe(3);
        lenient.Warnings!.Single().Line.ShouldBe(7);
        (await AllExpensesAsync(me.Client)).Select(e => (e.Payee, e.Amount)).ShouldBe([("Too Many Decimals", "1.23"), ("Good Two", "2.00"), ("Good One", "12.34")]);
    }

    [Fact]
    public async Task Csv_EuropeanFormat_WithMapping()
    {
        var me = await App.RegisterAndSignInAsync();
        var mapping = """{"date":"Buchungstag","amount":"Betrag","payee":"Empfänger","description":"Verwendungszweck","currency":"Währung","dateFormat":"dd.MM.yyyy","decimalSeparator":","}""";
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Features", "Imports", "Fixtures", "bank-eu.csv"))), "file", "bank-eu.csv" },
            { new StringContent(mapping), "mapping" },
        };
        var res = await me.Client.PostAsync("/api/v1/imports", form);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<ImportResultDto>())!.Imported.ShouldBe(3);
        (await AllExpensesAsync(me.Client)).Select(e => (e.Amount, e.Currency)).ShouldBe([("3.99", "EUR"), ("12.50", "EUR"), ("1234.56", "EUR")]);
    }

    [Fact]
    public async Task Ofx_SgmlAndXml_AreDetected_AndFitidDuplicatesSkipped()
    {
        var me = await App.RegisterAndSignInAsync();
        var sgml = await me.Client.ImportAsync(Fixture("statement-sgml.ofx"), "march.ofx");
        (sgml.Imported, sgml.Incoming, sgml.Duplicates, sgml.Failed, sgml.Skipped).ShouldBe((2, 1, 0, 0, 0));
        var xml = await me.Client.ImportAsync(Fixture("statement-xml.qfx"), "april.qfx");
        xml.Imported.ShouldBe(2);
        // The same statement again, under another name and without the extension: detected from content, all duplicates.
        var again = await me.Client.ImportAsync(Fixture("statement-sgml.ofx"), "download", new() { ["format"] = "ofx" });
        (again.Imported, again.Incoming).ShouldBe((0, 0));
        again.Duplicates.ShouldBe(3);
        var expenses = await AllExpensesAsync(me.Client);
        expenses.Select(e => (e.Payee, e.Amount, e.Currency, e.Kind)).ShouldBe(
            [("Electric & Gas", "120.00", "USD", "expense"), ("Blue Bottle Coffee", "4.75", "USD", "expense"), ("NETFLIX.COM", "9.99", "GBP", "expense"),
             ("ACME LTD SALARY", "1500.00", "GBP", "income"), ("TESCO STORES & CO", "23.45", "GBP", "expense")]);
    }

    [Fact]
    public async Task Ofx_Truncated_ImportsNothing_AndSaysWhere()
    {
        var me = await App.RegisterAndSignInAsync();
        var result = await me.Client.ImportAsync(Fixture("truncated.ofx"), "cut.ofx");
        result.Imported.ShouldBe(0);
        result.Errors.Single().Line.ShouldBe(38);
        (await AllExpensesAsync(me.Client)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Qif_ImportsDebits_AndAppliesRules()
    {
        var me = await App.RegisterAndSignInAsync();
        var entertainment = await me.Client.CategoryAsync("Entertainment");
        await (await me.Client.PostAsJsonAsync("/api/v1/rules", new { name = "Films", match = "all", setCategoryId = entertainment.Id, addTags = new[] { "fun" }, conditions = new[] { new { field = "payee", op = "equals", value = "cinema" } } }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        var result = await me.Client.ImportAsync(Fixture("checking.qif"), "checking.qif");
        (result.Imported, result.Incoming, result.Duplicates, result.Failed, result.Skipped).ShouldBe((3, 1, 0, 0, 0), customMessage: string.Join(", ", result.Errors));
        var cinema = (await AllExpensesAsync(me.Client)).Single(e => e.Payee == "Cinema");
        cinema.CategoryId.ShouldBe(entertainment.Id);
        cinema.Tags.ShouldBe(["fun"]);
        (await me.Client.ImportAsync(Fixture("truncated.qif"), "t.qif")).Errors.Single().Line.ShouldBe(6);
    }

    [Fact]
    public async Task Duplicates_CompareNormalisedPayee_AndCountIdenticalRowsOnce()
    {
        var me = await App.RegisterAndSignInAsync();
        await me.Client.CreateExpenseAsync(new { amount = "40.00", date = "2026-02-02", payee = "metro" });
        var csv = "date,amount,payee\n2026-02-02,40.00,METRO.\n2026-02-02,40.00,Metro\n2026-02-03,40.00,Metro\n";
        var result = await me.Client.ImportAsync(csv, "x.csv", new() { ["mapping"] = """{"date":"date","amount":"amount","payee":"payee"}""" });
        // One stored "metro" matches one of the two identical rows; the other is a second purchase that day.
        result.Duplicates.ShouldBe(1);
        result.Imported.ShouldBe(2);
    }

    [Fact]
    public async Task Import_WhenFileOrFormUnusable_Returns400Or415()
    {
        var me = await App.RegisterAndSignInAsync();
        await me.Client.ImportAsync("when,how\n2026-01-01,1\n", "x.csv", expected: HttpStatusCode.BadRequest);
        await me.Client.ImportAsync("date,amount\n2026-01-01,1\n", "x.csv", new() { ["format"] = "xls" }, HttpStatusCode.BadRequest);
        await me.Client.ImportAsync("date,amount\n2026-01-01,1\n", "x.csv", new() { ["mapping"] = "{not json" }, HttpStatusCode.BadRequest);
        await me.Client.ImportAsync("", "empty.csv", expected: HttpStatusCode.BadRequest);
        var res = await me.Client.PostAsJsonAsync("/api/v1/imports", new { file = "x" });
        await res.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await App.Anonymous().PostAsync("/api/v1/imports", new MultipartFormDataContent())).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LargeCsv_50000Rows_ImportsInOneGo_AndReimportFindsAllDuplicates()
    {
        var me = await App.RegisterAndSignInAsync();
        var sb = new StringBuilder("date,amount,payee\n");
        var start = new DateOnly(2024, 1, 1);
        for (var i = 0; i < 50_000; i++)
            sb.Append(start.AddDays(i % 700).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
              .Append((1 + i % 9973) / 100m).Append(",Shop ").Append(i).Append('\n');
        var csv = sb.ToString();
        var mapping = new Dictionary<string, string> { ["mapping"] = """{"date":"date","amount":"amount","payee":"payee"}""" };

        var first = await me.Client.ImportAsync(csv, "big.csv", mapping);
        first.Imported.ShouldBe(50_000);
        first.Failed.ShouldBe(0);
        var second = await me.Client.ImportAsync(csv, "big.csv", mapping);
        second.Imported.ShouldBe(0);
        second.Duplicates.ShouldBe(50_000);
        var report = (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2024-01-01&to=2025-12-31&groupBy=month"))!;
        report.Count.ShouldBe(50_000);
    }
}
