using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Imports;

/// <summary>Bank-file imports, part 2, through HTTP: the preview, income rows, counts that add up, duplicates only among earlier imports.</summary>
public sealed class ImportsPart2Tests : ApiTest
{
    private static async Task<JsonElement> PreviewAsync(HttpClient client, byte[] file, string name, Dictionary<string, string>? fields = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        foreach (var (k, v) in fields ?? []) form.Add(new StringContent(v), k);
        var res = await client.PostAsync("/api/v1/imports/preview", form);
        await res.ShouldHaveStatusAsync(expected);
        return expected == HttpStatusCode.OK ? await res.Content.ReadFromJsonAsync<JsonElement>() : default;
    }

    private static async Task<List<ExpenseDto>> AllAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?limit=200"))!.Items;

    private const string GermanFile =
        "Kontonummer:;DE12 3456 7890;\nZeitraum:;01.01.2026 - 31.01.2026;\n\nBuchungstag;Empfänger;Verwendungszweck;Betrag;\n"
        + "03.01.2026;Bäckerei Müller;Brötchen;-3,20;\n05.01.2026;Arbeitgeber GmbH;Gehalt;2.500,00;\n06.01.2026;Bank;Abschluss;0,00;\n07.01.2026;Kiosk;Zeitung;-1,234;\n";

    [Fact]
    public async Task Preview_ShowsWhatWasDetected_GuessesTheColumns_AndChangesNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var bytes = GermanFile.Select(c => (byte)c).ToArray(); // Windows-1252
        var p = await PreviewAsync(me.Client, bytes, "umsaetze.csv");
        p.GetProperty("format").GetString().ShouldBe("csv");
        p.GetProperty("encoding").GetString().ShouldBe("windows-1252");
        p.GetProperty("delimiter").GetString().ShouldBe(";");
        p.GetProperty("headerLine").GetInt32().ShouldBe(4);
        var columns = p.GetProperty("columns").EnumerateArray().ToList();
        columns.Select(c => c.GetProperty("name").GetString()).ShouldBe(["Buchungstag", "Empfänger", "Verwendungszweck", "Betrag", "Column 5"]);
        columns[1].GetProperty("sample").EnumerateArray().First().GetString().ShouldBe("Bäckerei Müller");
        columns.Select(c => c.GetProperty("index").GetInt32()).ShouldBe([1, 2, 3, 4, 5]);
        var guessed = p.GetProperty("guessed");
        (guessed.GetProperty("date").GetString(), guessed.GetProperty("amount").GetString(), guessed.GetProperty("payee").GetString(), guessed.GetProperty("decimalSeparator").GetString())
            .ShouldBe(("Buchungstag", "Betrag", "Empfänger", ","));
        p.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("status").GetString(), r.GetProperty("amount").GetString()))
            .ShouldBe([(5, "spending", "3.20"), (6, "income", "2500.00"), (7, "skipped", null), (8, "spending", "1.23")]);
        var totals = p.GetProperty("totals");
        (totals.GetProperty("rows").GetInt32(), totals.GetProperty("spending").GetInt32(), totals.GetProperty("incoming").GetInt32(), totals.GetProperty("skipped").GetInt32(), totals.GetProperty("failed").GetInt32())
            .ShouldBe((4, 2, 1, 1, 0));
        p.GetProperty("warnings").EnumerateArray().Single().GetProperty("line").GetInt32().ShouldBe(8);
        (await AllAsync(me.Client)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Preview_WithAMapping_ReadsTheFileThatWay_AndSaysWhatIsWrong()
    {
        var me = await App.RegisterAndSignInAsync();
        var csv = Encoding.UTF8.GetBytes("03.01.2026,Shop,12.50\n04.01.2026,Cafe,3.10\n");
        var p = await PreviewAsync(me.Client, csv, "x.csv", new() { ["mapping"] = """{"headerLine":0,"date":"1","amount":"3","payee":"2","dateFormat":"DD.MM.YYYY"}""" });
        p.GetProperty("headerLine").GetInt32().ShouldBe(0);
        p.GetProperty("rows").GetArrayLength().ShouldBe(2);
        p.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        var wrong = await PreviewAsync(me.Client, csv, "x.csv", new() { ["mapping"] = """{"date":"when","amount":"3"}""" });
        wrong.GetProperty("error").GetString()!.ShouldContain("when");
        await PreviewAsync(me.Client, csv, "x.csv", new() { ["mapping"] = """{"sign":"sideways"}""" }, HttpStatusCode.BadRequest);
        await PreviewAsync(me.Client, csv, "x.csv", new() { ["mapping"] = """{"encoding":"ebcdic"}""" }, HttpStatusCode.BadRequest);
        await (await me.Client.PostAsJsonAsync("/api/v1/imports/preview", new { file = "x" })).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await App.Anonymous().PostAsync("/api/v1/imports/preview", new MultipartFormDataContent())).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Import_StoresIncomeAsIncome_SkipsZeros_RoundsWithAWarning_AndEveryRowIsCounted()
    {
        var me = await App.RegisterAndSignInAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(GermanFile.Select(c => (byte)c).ToArray()), "file", "umsaetze.csv" },
            { new StringContent("EUR"), "currency" },
        };
        var res = await me.Client.PostAsync("/api/v1/imports", form);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var r = (await res.Content.ReadFromJsonAsync<ImportResultDto>())!;
        (r.Imported, r.Incoming, r.Duplicates, r.Skipped, r.Failed).ShouldBe((2, 1, 0, 1, 0));
        r.Warnings!.Single().Message.ShouldContain("rounded to 1.23");
        var all = await AllAsync(me.Client);
        all.Select(e => (e.Payee, e.Amount, e.Kind)).OrderBy(x => x.Payee).ShouldBe(
            [("Arbeitgeber GmbH", "2500.00", "income"), ("Bäckerei Müller", "3.20", "expense"), ("Kiosk", "1.23", "expense")]);
        // Income is not spending.
        var report = (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-01-01&to=2026-01-31&groupBy=month&currency=EUR"))!;
        report.Total.ShouldBe("4.43");
    }

    [Fact]
    public async Task Ofx_TwoTransactionsWithOneBankId_AreBothImported_AndAReimportFindsThemBoth()
    {
        var me = await App.RegisterAndSignInAsync();
        const string ofx = "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKTRANLIST>\n"
            + "<STMTTRN><DTPOSTED>20260105<TRNAMT>-200,00<FITID>DUP-1<NAME>Miete</STMTTRN>\n"
            + "<STMTTRN><DTPOSTED>20260106<TRNAMT>-12,00<FITID>DUP-1<NAME>Kino</STMTTRN>\n"
            + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
        var first = await me.Client.ImportAsync(ofx, "bank.ofx");
        (first.Imported, first.Duplicates).ShouldBe((2, 0));
        (await AllAsync(me.Client)).Select(e => e.Amount).Order().ShouldBe(["12.00", "200.00"]);
        var again = await me.Client.ImportAsync(ofx, "bank.ofx");
        (again.Imported, again.Duplicates).ShouldBe((0, 2));
    }

    [Fact]
    public async Task HeaderlessCsv_KeepsItsFirstRow_AndBadRowsStillBlockTheImportUnlessSkipped()
    {
        var me = await App.RegisterAndSignInAsync();
        const string csv = "2026-01-03;REWE;-12,50\n2026-01-04;Pending;-1,00\nPending;Shop;-2,00\n";
        var strict = await me.Client.ImportAsync(csv, "x.csv");
        (strict.Imported, strict.Failed).ShouldBe((0, 1));
        strict.Errors.Single().Line.ShouldBe(3);
        (await AllAsync(me.Client)).ShouldBeEmpty();
        var lenient = await me.Client.ImportAsync(csv, "x.csv", new() { ["skipInvalid"] = "true" });
        (lenient.Imported, lenient.Failed).ShouldBe((2, 1));
        (await AllAsync(me.Client)).Select(e => e.Payee).Order().ShouldBe(["Pending", "REWE"]);
    }

    [Fact]
    public async Task Mapping_WithSettingsOnly_KeepsTheGuessedColumns()
    {
        var me = await App.RegisterAndSignInAsync();
        // Read as Latin-1 on request, the header line named explicitly: the columns are still guessed.
        var bytes = "Bank export\nDatum;Empfänger;Betrag\n03.01.2026;Café;-3,20\n".Select(c => (byte)c).ToArray();
        var p = await PreviewAsync(me.Client, bytes, "x.csv", new() { ["mapping"] = """{"headerLine":2,"encoding":"iso-8859-1","sign":"all"}""" });
        p.GetProperty("encoding").GetString().ShouldBe("iso-8859-1");
        p.GetProperty("headerLine").GetInt32().ShouldBe(2);
        var used = p.GetProperty("mapping");
        (used.GetProperty("date").GetString(), used.GetProperty("amount").GetString(), used.GetProperty("payee").GetString(), used.GetProperty("sign").GetString())
            .ShouldBe(("Datum", "Betrag", "Empfänger", "all"));
        p.GetProperty("rows").EnumerateArray().Single().GetProperty("payee").GetString().ShouldBe("Café");
    }

    [Fact]
    public async Task Refund_IsNotADuplicateOfThePurchase_OfTheSameAmount()
    {
        var me = await App.RegisterAndSignInAsync();
        await me.Client.CreateExpenseAsync(new { amount = "50.00", date = "2026-02-02", payee = "Shop" });
        var result = await me.Client.ImportAsync("date,amount,payee\n2026-02-02,-50.00,Shop\n2026-02-02,50.00,Shop\n", "x.csv");
        (result.Imported, result.Incoming, result.Duplicates).ShouldBe((0, 1, 1));
    }
}
