using System.Globalization;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// Quicken Interchange Format: one field per line (D date, T/U amount, P payee, M memo, L category,
/// N number), records ended by '^'. Only transaction sections (!Type:Bank, Cash, CCard, Oth A, Oth L)
/// are read; account lists, categories, classes, memorised items, securities and investments are skipped.
/// A negative amount is spending, a positive one income.
/// </summary>
public static class QifParser
{
    // QIF writers disagree about dates and one file may mix spellings (3/7/26, 03/04'26). US month-first is
    // the most common, ' marks 2000+ years; a file whose dates do not all read month-first is read day-first.
    private static readonly string[] Iso = ["yyyy-MM-dd", "yyyy-M-d", "yyyyMMdd"];
    private static readonly string[] MonthFirst = [.. new[] { "M/d/yyyy", "M/d/yy", "M/d\\'yyyy", "M/d\\'yy", "M-d-yyyy", "M-d-yy", "d.M.yyyy", "d.M.yy" }.Concat(Iso)];
    private static readonly string[] DayFirst = [.. new[] { "d/M/yyyy", "d/M/yy", "d/M\\'yyyy", "d/M\\'yy", "d.M.yyyy", "d.M.yy", "d-M-yyyy", "d-M-yy" }.Concat(Iso)];

    private static readonly string[] TransactionSections = ["type:bank", "type:cash", "type:ccard", "type:oth a", "type:oth l"];

    public static bool LooksLikeQif(string head) => head.TrimStart('\uFEFF', ' ', '\r', '\n').StartsWith('!');

    private sealed record Record(int Line, Dictionary<char, string> Fields);

    public static ParseResult Parse(TextReader text, ParseOptions options) => Parse(text.ReadToEnd(), options);

    public static ParseResult Parse(string content, ParseOptions options)
    {
        var result = new ParseResult();
        var records = new List<Record>();
        var record = new Dictionary<char, string>();
        var recordLine = 0;
        var lineNo = 0;
        var sawHeader = false;
        var reading = true; // records before any header are read as transactions
        using var text = new StringReader(content);
        while (text.ReadLine() is { } raw)
        {
            lineNo++;
            var line = raw.Trim();
            if (lineNo == 1) line = line.TrimStart('\uFEFF');
            if (line.Length == 0) continue;
            if (line[0] == '!')
            {
                var header = line[1..].Trim().ToLowerInvariant();
                if (header.StartsWith("option", StringComparison.Ordinal) || header.StartsWith("clear", StringComparison.Ordinal)) continue;
                sawHeader = true;
                if (record.Count > 0 && reading) result.Errors.Add(new ImportError(recordLine, "This transaction is not closed with ^ before the next section."));
                record = [];
                reading = TransactionSections.Any(s => header.StartsWith(s, StringComparison.Ordinal) && (header.Length == s.Length || !char.IsLetter(header[s.Length])));
                continue;
            }
            if (line[0] == '^')
            {
                if (record.Count > 0 && reading) records.Add(new Record(recordLine, record));
                record = [];
                continue;
            }
            if (record.Count == 0) recordLine = lineNo;
            // Split lines (S/E/$) belong to their parent: the parent's T total is what we import.
            record.TryAdd(line[0], line[1..].Trim());
        }
        if (lineNo == 0 || (records.Count == 0 && record.Count == 0 && !sawHeader)) { result.FileError = lineNo == 0 ? "The file is empty." : "This is not a QIF file: there is no !Type header."; return result; }
        if (record.Count > 0 && reading) result.Errors.Add(new ImportError(recordLine, "The file ends inside this transaction (no closing ^): it is truncated."));

        string[] dateFormats = options.DateFormat is { } f ? [StatementText.NormalizeDateFormat(f)]
            : records.All(r => !r.Fields.TryGetValue('D', out var d) || TryDate(d, MonthFirst, out _)) ? MonthFirst
            : records.All(r => !r.Fields.TryGetValue('D', out var d) || TryDate(d, DayFirst, out _)) ? DayFirst : MonthFirst;
        var amounts = records.Select(r => r.Fields.TryGetValue('T', out var t) ? t : r.Fields.GetValueOrDefault('U')).Where(a => a is not null).Select(a => a!);
        var separator = CsvGuess.DecimalSeparator(amounts);
        foreach (var r in records) Finish(r, dateFormats, separator, options, result);
        result.Errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        return result;
    }

    private static bool TryDate(string text, string[] formats, out DateOnly date) =>
        DateOnly.TryParseExact(text.Replace(' ', '0'), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year is >= 1900 and <= 2999;

    private static void Finish(Record record, string[] dateFormat, char separator, ParseOptions options, ParseResult result)
    {
        var (line, r) = (record.Line, record.Fields);
        r.TryGetValue('D', out var dateText);
        if (dateText is null || !TryDate(dateText, dateFormat, out var date))
        {
            result.Errors.Add(new ImportError(line, dateText is null ? "The transaction has no date (D line)." : $"'{dateText}' is not a date."));
            return;
        }
        var amountText = r.TryGetValue('T', out var t) ? t : r.GetValueOrDefault('U');
        if (!StatementText.TryReadAmount(amountText, separator, out var value))
        {
            result.Errors.Add(new ImportError(line, amountText is null ? "The transaction has no amount (T line)." : $"'{amountText}' is not an amount."));
            return;
        }
        if (value == 0) { result.SkippedLines.Add(new ImportError(line, "The amount is zero.")); return; }
        if (!StatementText.TryMoney(value, options.DefaultCurrency, out var money, out var error, out var warning))
        {
            result.Errors.Add(new ImportError(line, error));
            return;
        }
        if (warning is not null) result.Warnings.Add(new ImportError(line, warning));
        var category = r.GetValueOrDefault('L');
        // [Account] in L is a transfer, not a category.
        if (category is not null && category.StartsWith('[')) category = null;
        result.Rows.Add(new StatementRow(line, date, money, StatementText.Clean(r.GetValueOrDefault('P'), 200),
            StatementText.Clean(r.GetValueOrDefault('M'), 1000), StatementText.Clean(category?.Split(':', '/')[0], 60), null, Income: value > 0));
    }
}
