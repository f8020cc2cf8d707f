using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;

namespace PayTrack.Tests.Features.Imports;

/// <summary>
/// Property tests: random statements written out as banks write them — CSV in many national
/// spellings and encodings, OFX in both dialects, QIF with non-transaction sections — read back equal.
/// </summary>
public sealed class StatementRoundTripTests
{
    public sealed record Txn(DateOnly Date, long Minor, string Payee);

    private static readonly string[] Words = ["Tesco", "Bäckerei", "Café", "Müller & Söhne", "A;B", "x,y", "\"Quoted\"", "Łódź", "N26", "Ünïcödé", "O'Brien", "100%"];
    private static readonly string[] Words1252 = ["Tesco", "Bäckerei", "Café", "Müller & Söhne", "A;B", "x,y", "\"Quoted\"", "Crème brûlée", "N26", "Straße", "O'Brien", "100%"];
    private static readonly Currency Eur = Currency.Get("EUR");

    private static Gen<Txn> Transaction(string[] words) =>
        from day in Gen.Choose(0, 9000)
        from minor in Gen.Choose(-99_999_999, 99_999_999).Where(m => m != 0)
        from big in Gen.Elements(1L, 1L, 1000L)
        from w1 in Gen.Elements(words)
        from w2 in Gen.Elements(words)
        select new Txn(new DateOnly(2000, 1, 1).AddDays(day), minor * big, $"{w1} {w2}");

    private static Gen<List<Txn>> Statement(string[] words) => Transaction(words).ListOf().Select(l => l.ToList()).Where(l => l.Count is > 0 and <= 40);

    private static string Number(long minor, char decimalSeparator, bool grouping)
    {
        var abs = Math.Abs(minor);
        var whole = (abs / 100).ToString(CultureInfo.InvariantCulture);
        if (grouping)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < whole.Length; i++)
            {
                if (i > 0 && (whole.Length - i) % 3 == 0) sb.Append(decimalSeparator == ',' ? '.' : ',');
                sb.Append(whole[i]);
            }
            whole = sb.ToString();
        }
        return $"{whole}{decimalSeparator}{abs % 100:00}";
    }

    private static string Quote(string cell, char delimiter) =>
        cell.IndexOfAny([delimiter, '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    public sealed record CsvStyle(char Delimiter, char Decimal, bool Grouping, string DateFormat, bool Header, bool Preamble, string Encoding, string Amounts, bool Symbol);

    private static readonly Gen<CsvStyle> CsvStyles =
        from delimiter in Gen.Elements(',', ';', '\t', '|')
        from dec in Gen.Elements('.', ',')
        from grouping in Gen.Elements(true, false)
        from date in Gen.Elements("yyyy-MM-dd", "dd.MM.yyyy", "dd/MM/yyyy", "MM/dd/yyyy", "d MMM yyyy", "yyyyMMdd")
        from header in Gen.Elements(true, false)
        from preamble in Gen.Elements(true, false)
        from encoding in Gen.Elements(TextDecoding.Utf8, TextDecoding.Utf8Bom, TextDecoding.Utf16Le, TextDecoding.Utf16Be, TextDecoding.Windows1252)
        from amounts in Gen.Elements("signed", "debitCredit", "flag", "trailingMinus", "parentheses")
        from symbol in Gen.Elements(true, false)
        select new CsvStyle(delimiter, dec, grouping, date, header, preamble && header, encoding, amounts, symbol);

    private static byte[] Encode(string text, string encoding) => encoding switch
    {
        TextDecoding.Utf8Bom => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
        TextDecoding.Utf16Le => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
        TextDecoding.Utf16Be => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
        TextDecoding.Windows1252 => text.Select(c => c switch { '€' => (byte)0x80, _ when c <= 0xFF => (byte)c, _ => throw new InvalidOperationException($"{c} is not in Windows-1252") }).ToArray(),
        _ => Encoding.UTF8.GetBytes(text),
    };

    private static (byte[] Bytes, CsvMapping Mapping) WriteCsv(List<Txn> txns, CsvStyle s)
    {
        var d = s.Delimiter;
        var sb = new StringBuilder();
        if (s.Preamble) sb.Append("Kontonummer:").Append(d).Append("DE12 3456 7890").Append("\r\n").Append("Zeitraum:").Append(d).Append("01.01.2026 - 31.01.2026").Append("\r\n\r\n");
        string[] names = s.Amounts switch { "debitCredit" => ["Buchungstag", "Empfänger", "Soll", "Haben"], "flag" => ["Datum", "Naam", "Bedrag", "Af Bij"], _ => ["Date", "Payee", "Amount"] };
        if (s.Header) sb.AppendJoin(d, names).Append(d == ';' ? ";" : "").Append("\r\n"); // German banks end the header with a delimiter
        foreach (var t in txns)
        {
            var number = Number(t.Minor, s.Decimal, s.Grouping);
            var money = s.Symbol ? (t.Minor % 2 == 0 ? "€" + number : number + " EUR") : number;
            string[] amountCells = s.Amounts switch
            {
                "debitCredit" => t.Minor < 0 ? [money, ""] : ["", money],
                "flag" => [money, t.Minor < 0 ? "Af" : "Bij"],
                "trailingMinus" => [money + (t.Minor < 0 ? "-" : "")],
                "parentheses" => [t.Minor < 0 ? "(" + money + ")" : money],
                _ => [(t.Minor < 0 ? "-" : "") + money],
            };
            var cells = new[] { t.Date.ToString(s.DateFormat, CultureInfo.InvariantCulture), t.Payee }.Concat(amountCells);
            sb.AppendJoin(d, cells.Select(c => Quote(c, d))).Append('\n');
        }
        string Col(int i) => s.Header ? names[i] : (i + 1).ToString(CultureInfo.InvariantCulture);
        var mapping = s.Amounts switch
        {
            "debitCredit" => new CsvMapping(Col(0), null, Col(1), Debit: Col(2), Credit: Col(3)),
            "flag" => new CsvMapping(Col(0), Col(2), Col(1), Direction: Col(3), DebitValue: "Af"),
            _ => new CsvMapping(Col(0), Col(2), Col(1), Sign: SignModes.NegativeIsSpending),
        };
        // The date format is named only when the dates alone cannot tell day-first from month-first.
        var format = s.DateFormat is "dd/MM/yyyy" or "MM/dd/yyyy" ? s.DateFormat.ToUpperInvariant() : null;
        return (Encode(sb.ToString(), s.Encoding), mapping with { DateFormat = format });
    }

    private static void ShouldReadBack(ParseResult r, List<Txn> txns, Func<int, Currency>? currencyOf = null)
    {
        r.FileError.ShouldBeNull();
        r.Errors.ShouldBeEmpty();
        r.Rows.Select(x => (x.Date, x.Amount.Minor, x.Income, x.Payee)).ShouldBe(txns.Select(t => (t.Date, Math.Abs(t.Minor), t.Minor > 0, (string?)t.Payee)));
        if (currencyOf is not null) r.Rows.Select(x => x.Amount.Currency).ShouldBe(txns.Select((_, i) => currencyOf(i)));
    }

    [Fact]
    public void Csv_AnyStatement_InAnyNationalSpelling_ReadsBackEqual()
    {
        var gen = from style in CsvStyles
                  from txns in Statement(style.Encoding == TextDecoding.Windows1252 ? Words1252 : Words)
                  select (style, txns);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var (bytes, mapping) = WriteCsv(x.txns, x.style);
            var file = StatementReader.Read(bytes, "statement.csv", null, new ParseOptions(Eur, mapping));
            file.Format.ShouldBe("csv");
            // Windows-1252 text that happens to be plain ASCII is UTF-8 as well.
            file.Encoding.ShouldBe(x.style.Encoding == TextDecoding.Windows1252 && bytes.All(b => b < 0x80) ? TextDecoding.Utf8 : x.style.Encoding);
            ShouldReadBack(file.Result, x.txns);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Ofx_AnyStatement_SgmlOrXml_ValuesOnTheirLineOrTheNext_ReadsBackEqual()
    {
        var gen = from txns in Statement(Words)
                  from xml in Gen.Elements(true, false)
                  from nextLine in Gen.Elements(true, false)
                  from comma in Gen.Elements(true, false)
                  from cdata in Gen.Elements(true, false)
                  from split in Gen.Choose(0, 40)
                  select (txns, xml, nextLine, comma, cdata, split);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var sb = new StringBuilder(x.xml ? "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\"?>\n" : "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n");
            sb.Append("<OFX>\n<BANKMSGSRSV1>\n");
            var sep = x.nextLine ? "\n" : "";
            void Leaf(string tag, string value) => sb.Append('<').Append(tag).Append('>').Append(sep).Append(value).Append(x.xml ? $"</{tag}>" : "").Append('\n');
            // Two statements when split falls inside the list: the second in US dollars.
            var cut = Math.Min(x.split, x.txns.Count);
            foreach (var (part, currency) in new[] { (x.txns[..cut], "USD"), (x.txns[cut..], "EUR") })
            {
                if (part.Count == 0) continue;
                sb.Append("<STMTTRNRS><STMTRS>\n");
                Leaf("CURDEF", currency);
                sb.Append("<BANKTRANLIST>\n");
                foreach (var t in part)
                {
                    sb.Append("<STMTTRN>\n");
                    Leaf("TRNTYPE", t.Minor < 0 ? "DEBIT" : "CREDIT");
                    Leaf("DTPOSTED", t.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "120000[0:GMT]");
                    Leaf("TRNAMT", (t.Minor < 0 ? "-" : "") + Number(t.Minor, x.comma ? ',' : '.', grouping: false));
                    Leaf("FITID", "same-id"); // banks reuse ids; the parser does not care
                    Leaf("NAME", x.cdata && x.xml ? $"<![CDATA[{t.Payee}]]>" : System.Net.WebUtility.HtmlEncode(t.Payee));
                    sb.Append("</STMTTRN>\n");
                }
                sb.Append("</BANKTRANLIST>\n</STMTRS></STMTTRNRS>\n");
            }
            sb.Append("</BANKMSGSRSV1>\n</OFX>\n");
            var file = StatementReader.Read(Encoding.UTF8.GetBytes(sb.ToString()), "x.ofx", null, new ParseOptions(Eur));
            ShouldReadBack(file.Result, x.txns, i => Currency.Get(i < cut ? "USD" : "EUR"));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Qif_AnyStatement_AmongOtherSections_ReadsBackEqual()
    {
        var gen = from txns in Statement(Words)
                  from type in Gen.Elements("Bank", "Cash", "CCard", "Oth A", "Oth L")
                  from extras in Gen.Elements(true, false)
                  select (txns, type, extras);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var sb = new StringBuilder();
            if (x.extras) sb.Append("!Option:AutoSwitch\n!Account\nNChecking\nTBank\nD1/1/2020\n^\n!Clear:AutoSwitch\n!Type:Cat\nNFood\nE\n^\n!Type:Class\nNWork\n^\n");
            sb.Append("!Type:").Append(x.type).Append('\n');
            foreach (var t in x.txns)
                sb.Append('D').Append(t.Date.ToString("M/d/yyyy", CultureInfo.InvariantCulture)).Append('\n')
                  .Append('T').Append(t.Minor < 0 ? "-" : "").Append(Number(t.Minor, '.', grouping: true)).Append('\n')
                  .Append('P').Append(t.Payee).Append("\n^\n");
            if (x.extras) sb.Append("!Type:Security\nNACME\nSACME\nTStock\n^\n!Type:Invst\nD1/2/2020\nNBuy\nYACME\nT-100.00\n^\n");
            var file = StatementReader.Read(Encoding.UTF8.GetBytes(sb.ToString()), "x.qif", null, new ParseOptions(Eur));
            ShouldReadBack(file.Result, x.txns);
        }).QuickCheckThrowOnFailure();
    }
}
