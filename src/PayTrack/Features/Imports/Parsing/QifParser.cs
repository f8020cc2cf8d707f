using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// Quicken Interchange Format: one field per line (D date, T/U amount, P payee, M memo, L category,
/// N number), records ended by '^'. Negative amounts (money going out) become expenses; others are skipped.
/// </summary>
public static class QifParser
{
    // QIF writers disagree about dates; US month-first is by far the most common, ' marks 2000+ years.
    private static readonly string[] Dates = ["M/d/yyyy", "M/d/yy", "M/d\\'yyyy", "M/d\\'yy", "M-d-yyyy", "M-d-yy", "yyyy-MM-dd", "d.M.yyyy", "d.M.yy"];

    public static bool LooksLikeQif(string head) => head.TrimStart('\uFEFF', ' ', '\r', '\n').StartsWith('!');

    public static ParseResult Parse(TextReader text, ParseOptions options)
    {
        var result = new ParseResult();
        var record = new Dictionary<char, string>();
        var recordLine = 0;
        var lineNo = 0;
        var sawHeader = false;
        while (text.ReadLine() is { } raw)
        {
            lineNo++;
            var line = raw.TrimEnd();
            if (lineNo == 1) line = line.TrimStart('\uFEFF');
            if (line.Length == 0) continue;
            if (line[0] == '!') { sawHeader = true; continue; }
            if (line[0] == '^')
            {
                if (record.Count > 0) Finish(record, recordLine, options, result);
                record.Clear();
                continue;
            }
            if (record.Count == 0) recordLine = lineNo;
            // Split transactions (S/E/$) belong to their parent: the parent's T total is what we import.
            record.TryAdd(line[0], line[1..].Trim());
        }
        if (!sawHeader && lineNo > 0 && result.Rows.Count == 0 && result.Errors.Count == 0 && record.Count == 0)
            result.FileError = "This is not a QIF file: there is no !Type header.";
        if (record.Count > 0) result.Errors.Add(new ImportError(recordLine, "The file ends inside this transaction (no closing ^): it is truncated."));
        if (lineNo == 0) result.FileError = "The file is empty.";
        return result;
    }

    private static void Finish(Dictionary<char, string> r, int line, ParseOptions options, ParseResult result)
    {
        r.TryGetValue('D', out var dateText);
        var formats = options.DateFormat is { } f ? [f] : Dates;
        if (dateText is null || !DateOnly.TryParseExact(dateText.Replace(' ', '0'), formats, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date) || date.Year is < 1900 or > 2999)
        {
            result.Errors.Add(new ImportError(line, $"'{dateText}' is not a date."));
            return;
        }
        var amountText = r.TryGetValue('T', out var t) ? t : r.GetValueOrDefault('U');
        if (!StatementText.TryReadAmount(amountText, '.', out var value))
        {
            result.Errors.Add(new ImportError(line, $"'{amountText}' is not an amount."));
            return;
        }
        if (value >= 0) { result.Skipped++; return; }
        if (!StatementText.TryMoney(value, options.DefaultCurrency, out var money, out var error))
        {
            result.Errors.Add(new ImportError(line, error));
            return;
        }
        var category = r.GetValueOrDefault('L');
        // [Account] in L is a transfer, not a category.
        if (category is not null && category.StartsWith('[')) category = null;
        result.Rows.Add(new StatementRow(line, date, money, StatementText.Clean(r.GetValueOrDefault('P'), 200),
            StatementText.Clean(r.GetValueOrDefault('M'), 1000), StatementText.Clean(category?.Split(':')[0], 60), null));
    }
}
