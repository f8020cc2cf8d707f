using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;

namespace PayTrack.Tests.Features.Imports;

/// <summary>The parsers are pure: file text in, rows and line-numbered errors out.</summary>
public sealed class StatementParserTests
{
    private static readonly ParseOptions Usd = new(Currency.Get("USD"));
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Imports", "Fixtures", name));
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void Csv_EuropeanBankFile_SemicolonsDecimalCommaQuotesAndBom()
    {
        var mapping = new CsvMapping(Date: "Buchungstag", Amount: "Betrag", Payee: "Empfänger", Description: "Verwendungszweck", Currency: "Währung", DateFormat: "dd.MM.yyyy", DecimalSeparator: ",");
        var r = CsvStatementParser.Parse(new StringReader(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Imports", "Fixtures", "bank-eu.csv"))), Usd with { Mapping = mapping });
        r.FileError.ShouldBeNull();
        r.Errors.ShouldBeEmpty();
        r.Rows.Select(x => (x.Line, x.Date, x.Amount.ToString(), x.Payee, x.Description)).ShouldBe(
        [
            (2, D(2026, 1, 3), "1234.56 EUR", "Miete; Wohnung GmbH", "Miete Januar"),
            (3, D(2026, 1, 5), "12.50 EUR", "Bäckerei Schmidt", "Brot \"Vollkorn\""),
            (4, D(2026, 1, 7), "3.99 EUR", "Kiosk", null),
        ]);
    }

    [Fact]
    public void Csv_BadRows_AreReportedWithTheirFileLine()
    {
        var r = CsvStatementParser.Parse(new StringReader(Fixture("bad-rows.csv")), Usd with { Mapping = new CsvMapping("date", "amount", Payee: "payee") });
        r.Rows.Select(x => x.Line).ShouldBe([2, 6, 7]);
        r.Errors.Select(e => e.Line).ShouldBe([3, 4, 5]);
        r.Errors[0].Message.ShouldContain("not a date");
        r.Errors[1].Message.ShouldContain("not an amount");
        r.Errors[2].Message.ShouldBe("Expected 3 columns, found 2.");
        // More decimals than the currency has: rounded half away from zero, and said so.
        r.Rows[2].Amount.ToString().ShouldBe("1.23 USD");
        r.Warnings.Single().Line.ShouldBe(7);
        r.Warnings.Single().Message.ShouldContain("rounded to 1.23");
    }

    [Fact]
    public void Csv_QuotedLineBreaks_KeepLineNumbersOfTheFile()
    {
        var csv = "date,amount,description\n2026-01-01,1.00,\"two\nlines\"\n2026-01-02,x,bad\n";
        var r = CsvStatementParser.Parse(new StringReader(csv), Usd with { Mapping = new CsvMapping("date", "amount", Description: "description") });
        r.Rows.Single().Line.ShouldBe(2);
        r.Errors.Single().Line.ShouldBe(4);
    }

    [Fact]
    public void Csv_UnclosedQuote_IsAnError()
    {
        var r = CsvStatementParser.Parse(new StringReader("date,amount,payee\n2026-01-01,1.00,ok\n2026-01-02,2.00,\"never closed\n"), Usd with { Mapping = new CsvMapping("date", "amount", Payee: "payee") });
        r.Rows.Count.ShouldBe(1);
        r.Errors.Single().Line.ShouldBe(3);
    }

    [Fact]
    public void Csv_MissingMappedColumn_IsAFileError()
    {
        var r = CsvStatementParser.Parse(new StringReader("when,how much\n2026-01-01,1\n"), Usd with { Mapping = new CsvMapping("date", "amount") });
        r.FileError.ShouldNotBeNull().ShouldContain("date ('date')");
        // Without a mapping the date column is found by its values; no column holds amounts.
        CsvStatementParser.Parse(new StringReader("when,how much\n2026-01-01,1\n"), Usd).FileError.ShouldNotBeNull().ShouldContain("amount");
    }

    [Theory]
    [InlineData("1,234.56", '.', "1234.56")]
    [InlineData("1.234,56", ',', "1234.56")]
    [InlineData("(12.00)", '.', "-12.00")]
    [InlineData("12.00-", '.', "-12.00")]
    [InlineData("-0.10", '.', "-0.10")]
    [InlineData("1 000,5", ',', "1000.5")]
    public void Amounts_AreReadExactly(string text, char separator, string expected)
    {
        StatementText.TryReadAmount(text, separator, out var value).ShouldBeTrue();
        value.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Ofx_Sgml_ReadsDebitsAsSpending_CreditsAsIncome_DecodesEntities()
    {
        var r = OfxParser.Parse(new StringReader(Fixture("statement-sgml.ofx")), Usd);
        r.Errors.ShouldBeEmpty();
        r.Skipped.ShouldBe(0);
        r.Rows.Select(x => (x.Date, x.Amount.ToString(), x.Payee, x.ExternalId, x.Income)).ShouldBe(
        [
            (D(2026, 3, 2), "23.45 GBP", "TESCO STORES & CO", "20260302001", false),
            (D(2026, 3, 3), "1500.00 GBP", "ACME LTD SALARY", "20260303001", true),
            (D(2026, 3, 5), "9.99 GBP", "NETFLIX.COM", "20260305001", false),
        ]);
        r.Rows[0].Line.ShouldBe(23);
    }

    [Fact]
    public void Ofx_Xml_ReadsTransactions()
    {
        var r = OfxParser.Parse(new StringReader(Fixture("statement-xml.qfx")), Usd);
        r.Errors.ShouldBeEmpty();
        r.Rows.Select(x => (x.Date, x.Amount.ToString(), x.Payee, x.Description)).ShouldBe(
        [
            (D(2026, 4, 2), "4.75 USD", "Blue Bottle Coffee", "latte"),
            (D(2026, 4, 3), "120.00 USD", "Electric & Gas", null),
        ]);
    }

    [Fact]
    public void Ofx_Truncated_ReportsTheUnfinishedTransaction()
    {
        var r = OfxParser.Parse(new StringReader(Fixture("truncated.ofx")), Usd);
        r.Rows.Count(x => !x.Income).ShouldBe(1);
        r.Rows.Count(x => x.Income).ShouldBe(1);
        r.Errors.Single().Line.ShouldBe(38);
        r.Errors.Single().Message.ShouldContain("truncated");
    }

    [Fact]
    public void Ofx_NotOfxAtAll_IsAFileError() =>
        OfxParser.Parse(new StringReader("hello"), Usd).FileError.ShouldNotBeNull();

    [Fact]
    public void Qif_ReadsRecords_WithUsDatesAndApostropheYears()
    {
        var r = QifParser.Parse(new StringReader(Fixture("checking.qif")), Usd);
        r.Errors.ShouldBeEmpty();
        r.Skipped.ShouldBe(0);
        r.Rows.Select(x => (x.Line, x.Date, x.Amount.ToString(), x.Payee, x.Category, x.Income)).ShouldBe(
        [
            (2, D(2026, 3, 1), "45.10 USD", "City Water", "Utilities", false),
            (8, D(2026, 3, 4), "1250.00 USD", "Landlord", "Housing", false),
            (13, D(2026, 3, 5), "2000.00 USD", "Employer", null, true),
            (17, D(2026, 3, 7), "8.00 USD", "Cinema", null, false),
        ]);
    }

    [Fact]
    public void Qif_Truncated_ReportsTheUnfinishedRecord()
    {
        var r = QifParser.Parse(new StringReader(Fixture("truncated.qif")), Usd);
        r.Rows.Count.ShouldBe(1);
        r.Errors.Single().Line.ShouldBe(6);
    }

    [Theory]
    [InlineData("  Tesco  Stores, Ltd. ", "tesco stores ltd")]
    [InlineData("NETFLIX.COM", "netflix com")]
    [InlineData(null, "")]
    public void Payees_AreNormalisedForDuplicateDetection(string? payee, string expected) =>
        StatementText.NormalizePayee(payee).ShouldBe(expected);
}

/// <summary>Part 2 cases from real files, one by one.</summary>
public sealed class StatementParserPart2Tests
{
    private static readonly ParseOptions Eur = new(Currency.Get("EUR"));
    private static ParseResult Csv(string text, CsvMapping? mapping = null) => CsvStatementParser.Parse(new StringReader(text), Eur with { Mapping = mapping });

    [Theory]
    [InlineData("6 Nov 2013|N26 100%|€445,662.99\n", '|')]
    [InlineData("24 Oct 2022\tTesco x,y\t984.700,96\n19 Aug 2013\tCafé x,y\t1.234,00\n", '\t')]
    [InlineData("a;b;c\n1,5;2,5;3\n", ';')]
    public void Delimiter_IsTheOneThatSplitsRowsIntoTheTable(string text, char expected) =>
        CsvRecords.DetectDelimiter(text).ShouldBe(expected);
}

/// <summary>The failures the issue lists, each as the file a bank writes.</summary>
public sealed class StatementIssueCasesTests
{
    private static readonly ParseOptions Eur = new(Currency.Get("EUR"));
    private static StatementFile Read(string text, string name = "x.csv", CsvMapping? mapping = null) =>
        StatementReader.Read(System.Text.Encoding.UTF8.GetBytes(text), name, null, Eur with { Mapping = mapping });

    private static string Ofx(string transactions, string currency = "EUR") =>
        $"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>{currency}<BANKTRANLIST>\n{transactions}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

    [Fact]
    public void Ofx_DecimalComma_IsReadExactly_NotHundredTimesTooLarge()
    {
        var r = Read(Ofx("<STMTTRN><DTPOSTED>20260105<TRNAMT>-200,00<FITID>1<NAME>Miete</STMTTRN>\n"), "x.ofx").Result;
        r.Rows.Single().Amount.ShouldBe(new Money(20000, Currency.Get("EUR")));
    }

    [Fact]
    public void Ofx_SubCentAmount_IsRoundedHalfAwayFromZero_WithAWarning()
    {
        var r = Read(Ofx("<STMTTRN><DTPOSTED>20260105<TRNAMT>-3.775<FITID>1<NAME>Shop</STMTTRN>\n<STMTTRN><DTPOSTED>20260105<TRNAMT>-30.000<FITID>2<NAME>Shop</STMTTRN>\n"), "x.ofx").Result;
        r.Rows.Select(x => x.Amount.Minor).ShouldBe([378, 3000]);
        r.Warnings.Single().Message.ShouldContain("rounded to 3.78");
    }

    [Fact]
    public void Ofx_ValuesOnTheNextLine_Cdata_Entities_AndTwoStatementsInTwoCurrencies()
    {
        var text = "<?xml version=\"1.0\"?><OFX><BANKMSGSRSV1>"
            + "<STMTTRNRS><STMTRS><CURDEF>USD</CURDEF><BANKTRANLIST><STMTTRN><DTPOSTED>\n20260105\n</DTPOSTED><TRNAMT>\n-12.50\n</TRNAMT><NAME><![CDATA[AT&T <Wireless>]]></NAME></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS>"
            + "<STMTTRNRS><STMTRS><CURDEF>GBP</CURDEF><BANKTRANLIST><STMTTRN><DTPOSTED>20260106</DTPOSTED><TRNAMT>1500.00</TRNAMT><NAME>Smith &amp; Sons</NAME></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS>"
            + "</BANKMSGSRSV1></OFX>";
        var r = Read(text, "x.qfx").Result;
        r.Errors.ShouldBeEmpty();
        r.Rows.Select(x => (x.Amount.ToString(), x.Payee, x.Income)).ShouldBe([("12.50 USD", "AT&T <Wireless>", false), ("1500.00 GBP", "Smith & Sons", true)]);
    }

    [Fact]
    public void Csv_WithoutHeader_KeepsItsFirstTransaction()
    {
        var f = Read("03.01.2026;REWE Markt;-12,50\n04.01.2026;Gehalt;2500,00\n");
        f.Csv!.Layout.HeaderLine.ShouldBe(0);
        f.Csv.Layout.Columns.ShouldBe(["1", "2", "3"]);
        f.Result.Rows.Select(x => (x.Line, x.Amount.Minor, x.Income)).ShouldBe([(1, 1250L, false), (2, 250000L, true)]);
    }

    [Fact]
    public void Csv_GermanBankFile_PreambleLines_Windows1252_TrailingDelimiter_IsGuessedWhole()
    {
        var text = "\"Kontonummer:\";\"DE12 3456 7890 1234 5678 90 / Girokonto\";\n\"Von:\";\"01.01.2026\";\n\"Bis:\";\"31.01.2026\";\n\"Kontostand vom 31.01.2026:\";\"1.234,56 EUR\";\n\n"
            + "\"Buchungstag\";\"Wertstellung\";\"Buchungstext\";\"Auftraggeber / Begünstigter\";\"Verwendungszweck\";\"Kontonummer\";\"BLZ\";\"Betrag (EUR)\";\"Gläubiger-ID\";\n"
            + "\"03.01.2026\";\"03.01.2026\";\"Lastschrift\";\"Bäckerei Müller\";\"Brötchen\";\"DE00\";\"BIC\";\"-3,20\";\"\";\n"
            + "\"05.01.2026\";\"05.01.2026\";\"Gutschrift\";\"Arbeitgeber GmbH\";\"Gehalt Januar\";\"DE00\";\"BIC\";\"2.500,00\";\"\";\n"
            + "\"06.01.2026\";\"06.01.2026\";\"Abschluss\";\"\";\"Kontoführung\";\"\";\"\";\"0,00\";\"\";\n";
        var bytes = text.Select(c => c <= 0xFF ? (byte)c : throw new InvalidOperationException()).ToArray(); // Windows-1252
        var f = StatementReader.Read(bytes, "umsaetze.csv", null, Eur);
        f.Encoding.ShouldBe(TextDecoding.Windows1252);
        f.Csv!.Layout.HeaderLine.ShouldBe(6);
        f.Csv.Layout.Delimiter.ShouldBe(';');
        var g = f.Csv.Guessed;
        (g.Date, g.Amount, g.Payee, g.Description, g.DateFormat, g.DecimalSeparator).ShouldBe(("Buchungstag", "Betrag (EUR)", "Auftraggeber / Begünstigter", "Verwendungszweck", "d.M.yyyy", ","));
        f.Result.Errors.ShouldBeEmpty();
        f.Result.Rows.Select(x => (x.Payee, x.Amount.Minor, x.Income)).ShouldBe([("Bäckerei Müller", 320L, false), ("Arbeitgeber GmbH", 250000L, true)]);
        f.Result.SkippedLines.Single().ShouldBe(new ImportError(9, "The amount is zero."));
    }

    [Theory]
    [InlineData("Datum,Libellé,Débit,Crédit\n15/01/2026,CARTE LECLERC,\"45,10\",\n16/01/2026,VIR SALAIRE,,\"1800,00\"\n", "Datum", null, "Débit", "Crédit")]
    [InlineData("Fecha;Concepto;Importe;Saldo\n15/01/2026;COMPRA MERCADONA;-45,10;100,00\n16/01/2026;NOMINA;1800,00;1900,00\n", "Fecha", "Importe", null, null)]
    [InlineData("Data operazione;Descrizione;Importo\n15/01/2026;ESSELUNGA;-45,10\n16/01/2026;STIPENDIO;1800,00\n", "Data operazione", "Importo", null, null)]
    [InlineData("Data Lançamento;Histórico;Valor\n15/01/2026;PAGAMENTO PIX;-45,10\n16/01/2026;SALARIO;1800,00\n", "Data Lançamento", "Valor", null, null)]
    [InlineData("Boekdatum,Naam / Omschrijving,Bedrag (EUR),Af Bij\n20260115,Albert Heijn,\"45,10\",Af\n20260116,Werkgever,\"1800,00\",Bij\n", "Boekdatum", "Bedrag (EUR)", null, null)]
    [InlineData("Transaction Date,Description,Debit Amount,Credit Amount\n01/15/2026,WALMART,45.10,\n01/16/2026,PAYROLL,,1800.00\n", "Transaction Date", null, "Debit Amount", "Credit Amount")]
    public void Headers_InSevenLanguages_AreGuessed_AndEveryRowReadRight(string text, string date, string? amount, string? debit, string? credit)
    {
        var f = Read(text);
        var g = f.Csv!.Guessed;
        (g.Date, g.Amount, g.Debit, g.Credit).ShouldBe((date, amount, debit, credit));
        f.Result.Errors.ShouldBeEmpty();
        f.Result.Rows.Select(x => (x.Date, x.Amount.Minor, x.Income)).ShouldBe([(new DateOnly(2026, 1, 15), 4510L, false), (new DateOnly(2026, 1, 16), 180000L, true)]);
    }

    [Fact]
    public void FlagColumn_DecidesSpendingOrIncome()
    {
        var r = Read("date;payee;amount;cd\n2026-01-15;Shop;45,10;D\n2026-01-16;Salary;1800,00;C\n", mapping: new CsvMapping("date", "amount", "payee", Direction: "cd", DebitValue: "d")).Result;
        r.Rows.Select(x => (x.Amount.Minor, x.Income)).ShouldBe([(4510L, false), (180000L, true)]);
    }

    [Theory]
    [InlineData("-$7,971.39", '.', "-7971.39")]
    [InlineData("$-7,971.39", '.', "-7971.39")]
    [InlineData("(1,234.50)", '.', "-1234.50")]
    [InlineData("1.234,50-", ',', "-1234.50")]
    [InlineData("12,50 EUR", ',', "12.50")]
    [InlineData("€ 1 234,50", ',', "1234.50")]
    [InlineData("+ £1,100.00", '.', "1100.00")]
    [InlineData("R$ 1.234,56", ',', "1234.56")]
    [InlineData("CHF 1'234.50", '.', "1234.50")]
    [InlineData("123.45 DR", '.', "-123.45")]
    [InlineData("123.45 CR", '.', "123.45")]
    [InlineData("1,00,000.00", '.', "100000.00")]
    [InlineData("-200,00", '\0', "-200.00")]
    [InlineData("-3.77000", '\0', "-3.77000")]
    public void Amounts_InEveryNotation_AreReadExactly(string text, char separator, string expected)
    {
        StatementText.TryReadAmount(text, separator, out var value).ShouldBeTrue();
        value.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("12,50", '.')]   // a decimal comma read with a decimal point would be 1250: refused instead
    [InlineData("1.5", ',')]
    [InlineData("1,2345.00", '.')]
    [InlineData("12.34.56", '.')]
    [InlineData("abc", '.')]
    [InlineData("12 apples", '.')]
    public void Amounts_ThatCouldBeMisread_AreRefused(string text, char separator) =>
        StatementText.TryReadAmount(text, separator, out _).ShouldBeFalse();

    [Theory]
    [InlineData("DD.MM.YYYY", "dd.MM.yyyy")]
    [InlineData("dd.MM.yyyy", "dd.MM.yyyy")]
    [InlineData("dd/mm/yyyy", "dd/MM/yyyy")]
    [InlineData("TT.MM.JJJJ", "dd.MM.yyyy")]
    [InlineData("JJ/MM/AAAA", "yy/MM/yyyy")]
    public void DateFormats_AreAcceptedInTheUsualSpellings(string given, string expected) =>
        StatementText.NormalizeDateFormat(given).ShouldBe(expected);

    [Fact]
    public void Qif_SkipsAccountCategoryClassAndInvestmentSections()
    {
        var text = "!Option:AutoSwitch\n!Account\nNChecking\nTBank\n^\n!Clear:AutoSwitch\n!Type:Cat\nNGroceries\nE\n^\n!Type:Class\nNHome\n^\n"
            + "!Account\nNChecking\nTBank\n^\n!Type:Bank\nD01/15/2026\nT-45.10\nPWalmart\n^\nD01/16/2026\nT1,800.00\nPPayroll\n^\nD01/17/2026\nT0.00\nPBalance\n^\n"
            + "!Type:Invst\nD01/18/2026\nNBuy\nYACME\nT-1000.00\n^\n!Type:Memorized\nKC\nT-5.00\nPNetflix\n^\n";
        var r = Read(text, "x.qif").Result;
        r.Errors.ShouldBeEmpty();
        r.Rows.Select(x => (x.Payee, x.Amount.Minor, x.Income)).ShouldBe([("Walmart", 4510L, false), ("Payroll", 180000L, true)]);
        r.SkippedLines.Single().Line.ShouldBe(27);
    }

    [Fact]
    public void Encodings_Utf16WithBom_Utf8WithBom_AndWindows1252_AreDetected()
    {
        const string text = "Datum;Empfänger;Betrag\n03.01.2026;Café Müller €;-3,20\n";
        byte[] utf16 = [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes(text)];
        byte[] utf16be = [0xFE, 0xFF, .. System.Text.Encoding.BigEndianUnicode.GetBytes(text)];
        byte[] utf8bom = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(text)];
        var cp1252 = text.Select(c => c == '€' ? (byte)0x80 : (byte)c).ToArray();
        foreach (var (bytes, name) in new[] { (utf16, TextDecoding.Utf16Le), (utf16be, TextDecoding.Utf16Be), (utf8bom, TextDecoding.Utf8Bom), (cp1252, TextDecoding.Windows1252) })
        {
            var f = StatementReader.Read(bytes, "x.csv", null, Eur);
            f.Encoding.ShouldBe(name);
            f.Result.Rows.Single().Payee.ShouldBe("Café Müller €");
            f.Csv!.Guessed.Payee.ShouldBe("Empfänger");
        }
    }

    [Fact]
    public void SignModes_DecideWhichRowsAreSpending()
    {
        const string text = "date,amount\n2026-01-01,-10.00\n2026-01-02,25.00\n";
        bool[] Income(string? sign) => [.. Read(text, mapping: new CsvMapping("date", "amount", Sign: sign)).Result.Rows.Select(r => r.Income)];
        Income(null).ShouldBe([false, true]);
        Income(SignModes.NegativeIsSpending).ShouldBe([false, true]);
        Income(SignModes.PositiveIsSpending).ShouldBe([true, false]);
        Income(SignModes.All).ShouldBe([false, false]);
        // All one sign: a list of spending, as in part 1.
        Read("date,amount\n2026-01-01,10.00\n2026-01-02,25.00\n").Result.Rows.ShouldAllBe(r => !r.Income);
    }

    [Fact]
    public void EveryRow_IsCountedOnce_InRowsErrorsOrSkipped()
    {
        var r = Read("date,amount,payee\n2026-01-01,-1.00,a\nnot a date,-2.00,b\n2026-01-03,0.00,c\n2026-01-04,3.00,d\n,,wrapped text\n2026-01-05,x,e\n").Result;
        (r.Rows.Count, r.Errors.Count, r.Skipped).ShouldBe((2, 2, 2));
        r.TransactionRows.ShouldBe(6);
    }
}
