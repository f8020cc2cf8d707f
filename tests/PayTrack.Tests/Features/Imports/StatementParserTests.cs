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
