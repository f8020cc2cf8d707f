using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Imports;

/// <summary>Bank files from every country, through HTTP: any encoding .NET decodes, OFX declarations, the hint for files read as Windows-1252.</summary>
public sealed class ImportEncodingsTests : ApiTest
{
    static ImportEncodingsTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] In(string encoding, string text) => Encoding.GetEncoding(encoding).GetBytes(text);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, byte[] file, string name, string? mapping)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name }, { new StringContent("EUR"), "currency" } };
        if (mapping is not null) form.Add(new StringContent(mapping), "mapping");
        return await client.PostAsync(path, form);
    }

    private static async Task<JsonElement> PreviewAsync(HttpClient client, byte[] file, string name, string? mapping = null)
    {
        var res = await PostAsync(client, "/api/v1/imports/preview", file, name, mapping);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await res.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<ImportResultDto> ImportAsync(HttpClient client, byte[] file, string name, string? mapping = null)
    {
        var res = await PostAsync(client, "/api/v1/imports", file, name, mapping);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return (await res.Content.ReadFromJsonAsync<ImportResultDto>())!;
    }

    private static async Task<List<(string? Payee, string Amount)>> StoredAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?limit=200"))!.Items.Select(e => (e.Payee, e.Amount)).OrderBy(x => x.Amount, StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData("windows-1250", "windows-1250", "windows-1250", "Datum;Protistrana;Částka", "Příliš žluťoučký kůň", "Potraviny Dělnická")]
    [InlineData("iso-8859-2", "iso-8859-2", "iso-8859-2", "Datum;Protistrana;Částka", "Příliš žluťoučký kůň", "Żabka Łódź")]
    [InlineData("windows-1250", "cp1250", "windows-1250", "Datum;Protistrana;Částka", "Kavárna Šťastný", "Biedronka Kraków")]
    [InlineData("windows-1251", "windows-1251", "windows-1251", "Дата;Получатель;Сумма", "Пятёрочка", "Аптека на Невском")]
    [InlineData("shift_jis", "Shift_JIS", "shift_jis", "日付;支払先;金額", "セブン-イレブン", "ローソン 渋谷店")]
    [InlineData("iso-8859-15", "latin-9", "iso-8859-15", "Date;Bénéficiaire;Montant", "Bœuf & Cie, 5 € l'unité", "Œuvre d'art")]
    public async Task Csv_ReadInTheEncodingTheMappingNames_StoresTheRightPayees(string writtenIn, string asked, string reported, string header, string first, string second)
    {
        var me = await App.RegisterAndSignInAsync();
        var columns = header.Split(';');
        var csv = In(writtenIn, $"{header}\n13.01.2026;{first};-1 234,50\n14.01.2026;{second};-99,90\n");
        var mapping = JsonSerializer.Serialize(new { encoding = asked, date = columns[0], payee = columns[1], amount = columns[2], dateFormat = "DD.MM.YYYY", decimalSeparator = "," });

        var p = await PreviewAsync(me.Client, csv, "statement.csv", mapping);
        p.GetProperty("encoding").GetString().ShouldBe(reported);
        p.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(columns);
        p.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("payee").GetString()).ShouldBe([first, second]);
        p.GetProperty("warnings").GetArrayLength().ShouldBe(0);

        var r = await ImportAsync(me.Client, csv, "statement.csv", mapping);
        (r.Imported, r.Failed).ShouldBe((2, 0));
        r.Warnings.ShouldBeEmpty();
        (await StoredAsync(me.Client)).ShouldBe([(first, "1234.50"), (second, "99.90")]);
    }

    private const string Czech = "Příliš žluťoučký kůň";

    private static string Ofx(string header) =>
        header + "\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>CZK<BANKTRANLIST>\n"
        + $"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-120,50<FITID>A1<NAME>{Czech}<MEMO>Platba kartou, Náměstí Míru</STMTTRN>\n"
        + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

    [Theory]
    [InlineData("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1250\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n")]
    [InlineData("<?xml version=\"1.0\" encoding=\"windows-1250\" standalone=\"no\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>")]
    public async Task Ofx_IsReadInTheEncodingItDeclares(string header)
    {
        var me = await App.RegisterAndSignInAsync();
        var ofx = In("windows-1250", Ofx(header));
        var p = await PreviewAsync(me.Client, ofx, "vypis.ofx");
        (p.GetProperty("format").GetString(), p.GetProperty("encoding").GetString()).ShouldBe(("ofx", "windows-1250"));
        p.GetProperty("warnings").GetArrayLength().ShouldBe(0);

        var r = await ImportAsync(me.Client, ofx, "vypis.ofx");
        (r.Imported, r.Failed).ShouldBe((1, 0));
        var stored = (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?limit=10"))!.Items.Single();
        (stored.Payee, stored.Description, stored.Amount, stored.Currency).ShouldBe((Czech, "Platba kartou, Náměstí Míru", "120.50", "CZK"));
    }

    [Fact]
    public async Task UnknownEncoding_Is400WithExamples_AndImportsNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var csv = In("windows-1250", "Datum;Protistrana;Částka\n13.01.2026;Kavárna;-12,50\n");
        foreach (var path in new[] { "/api/v1/imports", "/api/v1/imports/preview" })
        {
            var problem = await (await PostAsync(me.Client, path, csv, "x.csv", """{"encoding":"klingon-1"}""")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            var message = problem.Errors!["mapping"].Single();
            message.ShouldContain("'klingon-1' is not a text encoding PayTrack can read");
            message.ShouldContain("windows-1250");
            message.ShouldContain("shift_jis");
        }
        (await StoredAsync(me.Client)).ShouldBeEmpty();
    }

    private const string CzechFile = "Datum;Protistrana;Částka\n13.01.2026;Příliš žluťoučký kůň;-12,50\n14.01.2026;Potraviny Dělnická;-3,20\n"
        + "15.01.2026;Kavárna Šťastný;-4,10\n16.01.2026;Lékárna U Mostů;-8,00\n17.01.2026;Česká pošta;-1,50\n";

    [Fact]
    public async Task CentralEuropeanFile_ReadAsWindows1252ByDefault_GetsAHint_AndAWesternOneDoesNot()
    {
        var me = await App.RegisterAndSignInAsync();
        const string hint = "The file is not UTF-8; it was read as Windows-1252 (Western European). If names look wrong, choose its encoding (it looks like Windows-1250, used in Central Europe).";
        var czech = In("windows-1250", CzechFile);

        var p = await PreviewAsync(me.Client, czech, "vypis.csv");
        p.GetProperty("encoding").GetString().ShouldBe("windows-1252"); // the contract's default is kept
        var warning = p.GetProperty("warnings").EnumerateArray().Single();
        (warning.GetProperty("line").GetInt32(), warning.GetProperty("message").GetString()).ShouldBe((0, hint));

        var r = await ImportAsync(me.Client, czech, "vypis.csv");
        r.Imported.ShouldBe(5);
        r.Warnings!.Single().ShouldBe(new ImportErrorDto(0, hint));

        // Chosen, the same file gives the right names and no hint.
        var chosen = await PreviewAsync(me.Client, czech, "vypis.csv", """{"encoding":"windows-1250"}""");
        chosen.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        chosen.GetProperty("rows").EnumerateArray().First().GetProperty("payee").GetString().ShouldBe(Czech);

        // French and German files in Windows-1252: no hint.
        var western = In("windows-1252", "Date;Bénéficiaire;Montant\n13.01.2026;Boulangerie Hélène;-3,20\n14.01.2026;Crème brûlée à Noël;-4,50\n"
            + "15.01.2026;L'Œuvre du cœur, où;-5,00\n16.01.2026;Bäckerei Müller, Straße;-2,10\n17.01.2026;Søren Kierkegård, Peña;-1,00\n");
        var other = await App.RegisterAndSignInAsync();
        var w = await PreviewAsync(other.Client, western, "releve.csv");
        w.GetProperty("encoding").GetString().ShouldBe("windows-1252");
        w.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        w.GetProperty("rows").EnumerateArray().Select(x => x.GetProperty("payee").GetString()).ShouldContain("Crème brûlée à Noël");
        (await ImportAsync(other.Client, western, "releve.csv")).Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task ImportPage_OffersTheEncodings_AndReadsTheFileAgainInTheOneChosen()
    {
        const string password = "correct horse battery";
        var me = await App.RegisterAndSignInAsync(password: password, currency: "EUR");
        var web = App.Anonymous();
        (await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = me.Email, ["Input.Password"] = password })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var token = Regex.Match(await web.GetStringAsync("/import"), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        using var upload = new MultipartFormDataContent
        {
            { new ByteArrayContent(In("windows-1250", CzechFile)), "file", "vypis.csv" },
            { new StringContent(""), "Format" },
            { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" },
        };
        var review = WebUtility.HtmlDecode(await (await web.PostAsync("/import?handler=Upload", upload)).Content.ReadAsStringAsync());
        review.ShouldContain("data-testid=\"encoding\">Windows-1252 (Western European)</dd>");
        review.ShouldContain("it looks like Windows-1250, used in Central Europe");
        review.ShouldNotContain("Line 0:");
        review.ShouldContain("<optgroup label=\"Central Europe");
        review.ShouldContain("<option value=\"windows-1250\">Windows-1250 (Central European)</option>");
        review.ShouldContain("<option value=\"shift_jis\">Shift_JIS (Japanese)</option>");
        var pending = Regex.Match(review, "name=\"Pending\" value=\"([0-9a-f]{32})\"").Groups[1].Value;
        pending.ShouldNotBeEmpty();

        // The columns on screen were named as read in Windows-1252; choosing Windows-1250 guesses them again.
        Dictionary<string, string> Form(string encoding, string readAs, string amount) => new()
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Pending"] = pending, ["FileName"] = "vypis.csv", ["Format"] = "csv",
            ["Map.Confirmed"] = "true", ["Map.Date"] = "Datum", ["Map.Payee"] = "Protistrana", ["Map.Amount"] = amount, ["Map.DecimalSeparator"] = ",",
            ["Map.Sign"] = "auto", ["Map.Delimiter"] = ";", ["Map.HeaderLine"] = "1", ["Map.Encoding"] = encoding, ["ReadAs"] = readAs,
        };
        var again = WebUtility.HtmlDecode(await (await web.PostAsync("/import?handler=Preview", new FormUrlEncodedContent(Form("windows-1250", "windows-1252", "Èástka")))).Content.ReadAsStringAsync());
        again.ShouldContain("data-testid=\"encoding\">Windows-1250 (Central European)</dd>");
        again.ShouldContain("<option value=\"windows-1250\" selected=\"selected\">");
        again.ShouldContain("<option value=\"Částka\" selected=\"selected\">Částka</option>");
        again.ShouldContain(Czech);
        again.ShouldNotContain("it looks like");

        var done = await web.PostAsync("/import?handler=Import", new FormUrlEncodedContent(Form("windows-1250", "windows-1250", "Částka")));
        done.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StoredAsync(me.Client)).Select(x => x.Payee).Order(StringComparer.Ordinal).ShouldBe(
            ["Kavárna Šťastný", "Lékárna U Mostů", "Potraviny Dělnická", "Příliš žluťoučký kůň", "Česká pošta"]);
    }
}
