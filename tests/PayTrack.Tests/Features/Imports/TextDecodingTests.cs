using System.Text;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;

namespace PayTrack.Tests.Features.Imports;

/// <summary>Encodings: the names people and files use, OFX declarations, and the hint for files read as Windows-1252 by default.</summary>
public sealed class TextDecodingTests
{
    private static readonly ParseOptions Eur = new(Currency.Get("EUR"));

    static TextDecodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] In(string encoding, string text) => Encoding.GetEncoding(encoding).GetBytes(text);

    [Theory]
    [InlineData("windows-1250", "windows-1250")]
    [InlineData("cp1250", "windows-1250")]
    [InlineData("Win-1250", "windows-1250")]
    [InlineData("WINDOWS_1250", "windows-1250")]
    [InlineData("1250", "windows-1250")]
    [InlineData("latin2", "iso-8859-2")]
    [InlineData("Latin-2", "iso-8859-2")]
    [InlineData("ISO8859-2", "iso-8859-2")]
    [InlineData("iso_8859-2", "iso-8859-2")]
    [InlineData("iso-8859-15", "iso-8859-15")]
    [InlineData("latin-9", "iso-8859-15")]
    [InlineData("ansi", "windows-1252")]
    [InlineData("cp1252", "windows-1252")]
    [InlineData("latin1", "iso-8859-1")]
    [InlineData("UTF8", "utf-8")]
    [InlineData("unicode", "utf-16le")]
    [InlineData("cp1251", "windows-1251")]
    [InlineData("KOI8-R", "koi8-r")]
    [InlineData("koi8-u", "koi8-u")]
    [InlineData("cp866", "cp866")]
    [InlineData("ibm866", "cp866")]
    [InlineData("cp850", "ibm850")]
    [InlineData("437", "ibm437")]
    [InlineData("SJIS", "shift_jis")]
    [InlineData("Shift-JIS", "shift_jis")]
    [InlineData("ms932", "shift_jis")]
    [InlineData("gbk", "gbk")]
    [InlineData("cp936", "gbk")]
    [InlineData("GB2312", "gbk")]
    [InlineData("GB18030", "gb18030")]
    [InlineData("Big5", "big5")]
    [InlineData("cp950", "big5")]
    [InlineData("EUC-KR", "euc-kr")]
    [InlineData("euc-jp", "euc-jp")]
    public void Normalize_KnowsTheUsualNamesAndAliases(string given, string expected) =>
        TextDecoding.Normalize(given).ShouldBe(expected);

    [Theory]
    [InlineData("ebcdic")]
    [InlineData("utf-7")]
    [InlineData("klingon")]
    [InlineData("windows-9999")]
    [InlineData("latin-42")]
    [InlineData("")]
    public void Normalize_RefusesWhatCannotBeDecoded(string given) => TextDecoding.Normalize(given).ShouldBeNull();

    [Fact]
    public void EveryOfferedEncoding_KeepsItsName_AndDecodes()
    {
        foreach (var choice in TextDecoding.Offered.SelectMany(g => g.Choices))
        {
            TextDecoding.Normalize(choice.Name).ShouldBe(choice.Name);
            TextDecoding.Decode("Date;Amount\n"u8, choice.Name).ShouldNotBeNull();
        }
    }

    [Fact]
    public void EveryEncodingDotNetKnows_IsAccepted_AndItsNameIsStable()
    {
        foreach (var info in Encoding.GetEncodings().Where(i => i.CodePage != 65000))
        {
            var name = TextDecoding.Normalize(info.Name);
            name.ShouldNotBeNull(info.Name);
            TextDecoding.Normalize(name).ShouldBe(name, info.Name);
            TextDecoding.Normalize($"cp{info.CodePage}").ShouldBe(name, info.Name);
            TextDecoding.Decode("Date;Amount\n"u8, name).ShouldNotBeNull();
        }
    }

    [Fact]
    public void Iso885915_ReadsTheEuroSign_WhereLatin1HasTheCurrencySign()
    {
        TextDecoding.Decode([0xA4], "iso-8859-15").ShouldBe("€");
        TextDecoding.Decode([0xA4], TextDecoding.Latin1).ShouldBe("¤");
        TextDecoding.Decode([0x80], TextDecoding.Windows1252).ShouldBe("€");
    }

    private static string Ofx(string header, string payee) =>
        $"{header}\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>CZK<BANKTRANLIST>\n<STMTTRN><DTPOSTED>20260105<TRNAMT>-120,50<FITID>1<NAME>{payee}</STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

    private const string Sgml = "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n";
    private const string Czech = "Příliš žluťoučký kůň";

    [Theory]
    [InlineData("CHARSET:1250", "windows-1250", "windows-1250")]
    [InlineData("CHARSET:ISO-8859-2", "iso-8859-2", "iso-8859-2")]
    [InlineData("CHARSET:8859-2", "iso-8859-2", "iso-8859-2")]
    [InlineData("CHARSET:1251", "windows-1251", "windows-1251")]
    [InlineData("CHARSET:ISO-8859-1", "windows-1252", "windows-1252")] // as browsers read it: € at 0x80
    [InlineData("CHARSET:NONE", "windows-1252", "windows-1252")]
    public void Ofx_Sgml_IsReadInTheCharsetItDeclares(string charset, string writtenIn, string expected)
    {
        var payee = writtenIn switch { "windows-1251" => "Пятёрочка", "windows-1252" => "Café “Noël” 5 €", _ => Czech };
        var f = StatementReader.Read(In(writtenIn, Ofx(Sgml + charset + "\r\nCOMPRESSION:NONE\r\n", payee)), "bank.ofx", null, Eur);
        f.Encoding.ShouldBe(expected);
        f.Result.Rows.Single().Payee.ShouldBe(payee);
        f.Result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Ofx_Xml_IsReadInTheEncodingItDeclares()
    {
        var xml = Ofx("<?xml version=\"1.0\" encoding=\"windows-1250\" standalone=\"no\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\" SECURITY=\"NONE\"?>", Czech);
        var f = StatementReader.Read(In("windows-1250", xml), "bank.ofx", null, Eur);
        (f.Format, f.Encoding).ShouldBe(("ofx", "windows-1250"));
        f.Result.Rows.Single().Payee.ShouldBe(Czech);
    }

    [Fact]
    public void Ofx_Precedence_MappingThenBomThenDeclarationThenDetection()
    {
        var text = Ofx(Sgml + "CHARSET:1250\r\n", Czech);
        // The mapping wins over the declaration.
        var asked = StatementReader.Read(In("iso-8859-2", text), "bank.ofx", null, Eur with { Mapping = new CsvMapping(Encoding: "latin2") });
        (asked.Encoding, asked.Result.Rows.Single().Payee).ShouldBe(("iso-8859-2", Czech));
        // A BOM wins over the declaration.
        var bom = StatementReader.Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)], "bank.ofx", null, Eur);
        (bom.Encoding, bom.Result.Rows.Single().Payee).ShouldBe((TextDecoding.Utf8Bom, Czech));
        // A legacy charset declared over text that is valid UTF-8: the text is UTF-8 (no legacy text is valid UTF-8 by chance).
        var slip = StatementReader.Read(Encoding.UTF8.GetBytes(text), "bank.ofx", null, Eur);
        (slip.Encoding, slip.Result.Rows.Single().Payee).ShouldBe((TextDecoding.Utf8, Czech));
        // UTF-8 declared, but not UTF-8: detection reads Windows-1252, and says so.
        var wrong = StatementReader.Read(In("windows-1252", Ofx(Sgml.Replace("USASCII", "UTF-8") + "CHARSET:NONE\r\n", "Café Noël")), "bank.ofx", null, Eur);
        (wrong.Encoding, wrong.Result.Rows.Single().Payee).ShouldBe((TextDecoding.Windows1252, "Café Noël"));
        wrong.Result.Warnings.Single().ShouldBe(new ImportError(0, "The file says its text is UTF-8, but it is not. It was read as Windows-1252 (Western European)."));
        // CHARSET:1252 over a Central European file: many writers say 1252 whatever they hold, so the hint is given.
        var said1252 = StatementReader.Read(In("windows-1250", Ofx(Sgml + "CHARSET:1252\r\n", Czech + "</STMTTRN><STMTTRN><DTPOSTED>20260106<TRNAMT>-1,00<NAME>Potraviny Dělnická, Kavárna Šťastný")), "bank.ofx", null, Eur);
        said1252.Encoding.ShouldBe(TextDecoding.Windows1252);
        said1252.Result.Warnings.Single().Message.ShouldContain("it looks like Windows-1250");
        // A charset nobody knows: detection, and a warning naming it.
        var unknown = StatementReader.Read(In("windows-1252", Ofx(Sgml + "CHARSET:KLINGON\r\n", "Café")), "bank.ofx", null, Eur);
        unknown.Encoding.ShouldBe(TextDecoding.Windows1252);
        unknown.Result.Warnings.Single().Message.ShouldBe("The file says its text is in 'KLINGON', which PayTrack cannot read. It was read as Windows-1252 (Western European).");
        // A false UTF-8 declaration over a Central European file: both said in one warning.
        var czech = StatementReader.Read(In("windows-1250", Ofx(Sgml.Replace("USASCII", "UTF-8"), Czech + "</STMTTRN><STMTTRN><DTPOSTED>20260106<TRNAMT>-1,00<NAME>Potraviny Dělnická, Kavárna Šťastný")), "bank.ofx", null, Eur);
        czech.Result.Warnings.Single().Message.ShouldBe("The file says its text is UTF-8, but it is not. The file is not UTF-8; it was read as Windows-1252 (Western European). "
            + "If names look wrong, choose its encoding (it looks like Windows-1250, used in Central Europe).");
        // The declaration is only read from OFX: a CSV mentioning CHARSET is detected as ever.
        StatementReader.Read(In("windows-1252", "CHARSET:1250\nDate;Amount;Payee\n2026-01-05;-1,00;Café\n"), "x.csv", null, Eur).Encoding.ShouldBe(TextDecoding.Windows1252);
    }

    [Fact]
    public void Qif_UsesTheMappingsEncoding_ElseDetection()
    {
        const string qif = "!Type:Bank\nD01/05/2026\nT-120.50\nPPříliš žluťoučký kůň\n^\n";
        var f = StatementReader.Read(In("windows-1250", qif), "x.qif", null, Eur with { Mapping = new CsvMapping(Encoding: "cp1250") });
        (f.Format, f.Encoding, f.Result.Rows.Single().Payee).ShouldBe(("qif", "windows-1250", Czech));
        StatementReader.Read(Encoding.UTF8.GetBytes(qif), "x.qif", null, Eur).Result.Rows.Single().Payee.ShouldBe(Czech);
    }

    // Payees as banks in each country write them.
    private const string CzechRows = "Příliš žluťoučký kůň\nPotraviny Dělnická\nKavárna Šťastný\nLékárna U Mostů\nČeská pošta\nTesco Brno-Střed\nDěkujeme za nákup\n";
    private const string PolishRows = "Biedronka Łódź\nŻabka Kraków\nPaliwo stacja Wrocław\nPrzelew własny\nApteka Gdańsk\nBar mleczny Pod Złotą Rybką\n";
    private const string RussianRows = "Пятёрочка\nПеревод средств\nМагазин Магнит\nОплата услуг связи\nАптека на Невском\n";

    [Theory]
    [InlineData("windows-1250", CzechRows, "windows-1250")]
    [InlineData("windows-1250", PolishRows, "windows-1250")]
    [InlineData("iso-8859-2", PolishRows, "iso-8859-2")]
    [InlineData("windows-1251", RussianRows, "windows-1251")]
    [InlineData("koi8-r", RussianRows, "koi8-r")]
    [InlineData("cp866", RussianRows, "cp866")]
    public void Hint_NamesTheLikelyEncoding_OfCentralEuropeanAndCyrillicFiles(string writtenIn, string text, string expected) =>
        EncodingHint.Likely(In(writtenIn, text)).ShouldBe(expected);

    [Theory]
    [InlineData("Boulangerie Hélène\nCrème brûlée à Noël\nL'Œuvre du cœur\nOù êtes-vous, naïve Françoise?\nGarçon, ça coûte 12 €\nChâteau de Sèvres\n")]
    [InlineData("Bäckerei Müller\nBrötchen und Süßes\nÜberweisung Gehalt\nStraße zum Glück\nMöbelhaus Köln\n")]
    [InlineData("Peña y señor Muñoz\n¿Qué tal? ¡Olé!\nCafé Ibáñez, Málaga\nLunes, miércoles\nNº 5, 1ª planta\n")]
    [InlineData("Søren Kierkegård\nKøbenhavn Ærø\nBlåbærsyltetøy Tromsø\nÅre Göteborg Malmö\nSmørrebrød på Nørrebro\n")]
    [InlineData("Così è la vita\nPiù caffè per tutti\nPerché lunedì\nCittà, però\nGelateria Sant'Antonìo\n")]
    [InlineData("Ações da São João\nPão de Açúcar\nConceição, Lisboa\nCol·legi de l'Alcúdia\nÞórður Guðmundsson, Reykjavík\n")]
    [InlineData("Coca-Cola® 0,5 l\nWasser 2 m³\nFläche 30 m²\n“Quoted” — don’t… ‘single’\n")]
    public void Hint_IsSilent_ForWesternEuropeanText(string text) =>
        EncodingHint.Likely(In("windows-1252", text)).ShouldBeNull();

    [Theory]
    [InlineData("shift_jis", "日付;支払先;金額\nセブン-イレブン 渋谷店\nローソン\nファミリーマート 新宿\n東京電力 電気料金\n")]
    [InlineData("euc-jp", "日付;支払先;金額\nセブン-イレブン 渋谷店\nローソン\nファミリーマート 新宿\n東京電力 電気料金\n")]
    [InlineData("gb18030", "日期;收款方;金额\n星巴克咖啡 北京\n中国移动 话费\n超市购物\n")]
    [InlineData("big5", "日期;收款人;金額\n星巴克咖啡 台北\n中華電信 電話費\n超市購物\n")]
    [InlineData("euc-kr", "날짜;가맹점;금액\n스타벅스 강남점\n이마트 성수점\n교통카드 충전\n")]
    public void Hint_ForEastAsianFiles_SaysNotLatin_WithoutNamingAWrongCodePage(string writtenIn, string text)
    {
        EncodingHint.Likely(In(writtenIn, text)).ShouldBe("");
        EncodingHint.ForWindows1252(In(writtenIn, text)).ShouldBe("The file is not UTF-8; it was read as Windows-1252 (Western European). If names look wrong, choose its encoding: "
            + "many of its words are not in a Latin alphabet (East Asian files are often Shift_JIS, GB18030, Big5 or EUC-KR).");
    }

    [Fact]
    public void Hint_SpotsUtf8WithAFewBadBytes()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("Příliš žluťoučký kůň\nセブン-イレブン\nCafé Müller\n"), 0xFF, (byte)'\n'];
        EncodingHint.Likely(bytes).ShouldBe(TextDecoding.Utf8);
    }

    [Fact]
    public void Hint_IsAWarningOnlyWhenWindows1252WasTheDefault()
    {
        var csv = "Datum;Příjemce;Částka\n" + string.Concat(CzechRows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((p, i) => $"{i + 13}.01.2026;{p};-12,50\n"));
        var guessed = StatementReader.Read(In("windows-1250", csv), "x.csv", null, Eur);
        guessed.Encoding.ShouldBe(TextDecoding.Windows1252);
        var warning = guessed.Result.Warnings.ShouldHaveSingleItem();
        warning.Line.ShouldBe(0);
        warning.Message.ShouldBe("The file is not UTF-8; it was read as Windows-1252 (Western European). If names look wrong, choose its encoding (it looks like Windows-1250, used in Central Europe).");
        var chosen = StatementReader.Read(In("windows-1250", csv), "x.csv", null, Eur with { Mapping = new CsvMapping(Encoding: "windows-1250") });
        chosen.Result.Warnings.ShouldBeEmpty();
        chosen.Result.Rows.Select(r => r.Payee).ShouldBe(CzechRows.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // Asking for Windows-1252 is a choice, not a guess: no hint.
        StatementReader.Read(In("windows-1250", csv), "x.csv", null, Eur with { Mapping = new CsvMapping(Encoding: "windows-1252") }).Result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Hint_AmongTheRealBankFiles_OnlyTheCzechWindows1250OneGetsIt()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Statements");
        var hinted = Directory.GetFiles(folder)
            .Where(f => Path.GetExtension(f) is ".csv" or ".ofx" or ".qfx" or ".qif")
            .Where(f => StatementReader.Read(File.ReadAllBytes(f), Path.GetFileName(f), null, Eur).Result.Warnings.Any(w => w.Line == 0 && w.Message.Contains("not UTF-8")))
            .Select(Path.GetFileName).ToList();
        hinted.ShouldBe(["cz-raiffeisen.csv"]);
    }
}
