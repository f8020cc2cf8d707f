using System.Globalization;
using System.Text.RegularExpressions;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// Amounts as people type them: "19,99", "1.234,56", "1 234.56" and "1,234.56" all become the API's
/// plain "19.99" form, so a form accepts the reader's decimal separator (from their browser's language).
/// Anything else is passed on unchanged, and the use case's own error explains it.
/// </summary>
public static partial class AmountInput
{
    [GeneratedRegex(@"^[+-]?[0-9][0-9 \u00A0\u202F'.,]*$")]
    private static partial Regex Shape();

    public static string? Normalize(string? text, string? decimalSeparator = null)
    {
        if (string.IsNullOrWhiteSpace(text)) return text;
        var s = text.Trim();
        if (!Shape().IsMatch(s)) return s;
        var sign = s[0] is '+' or '-' ? s[..1] : "";
        var body = s[sign.Length..];
        int lastDot = body.LastIndexOf('.'), lastComma = body.LastIndexOf(',');
        // Which of '.' and ',' (if either) separates the decimals; the other, and spaces or apostrophes, group thousands.
        char? dec;
        if (lastDot >= 0 && lastComma >= 0) dec = lastDot > lastComma ? '.' : ',';
        else if (lastDot < 0 && lastComma < 0) dec = null;
        else
        {
            var sep = lastDot >= 0 ? '.' : ',';
            var count = body.Count(c => c == sep);
            var after = body.Length - body.LastIndexOf(sep) - 1;
            // Repeated ("1.234.567"), it groups thousands. Once, it is the decimal separator — unless it is not the
            // reader's decimal separator and three digits follow ("1,234" in English, "1.234" in German): then it groups.
            var readersDecimal = (decimalSeparator ?? CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator) is "," ? ',' : '.';
            dec = count > 1 || (sep != readersDecimal && after == 3) ? null : sep;
        }
        var at = dec is { } d ? body.LastIndexOf(d) : -1;
        var whole = at >= 0 ? body[..at] : body;
        var fraction = at >= 0 ? body[(at + 1)..] : "";
        // Grouping must look like grouping: "1.234.567" or "1 234", never "12..5" or "1,2.5" — a typo is
        // passed on unchanged for the use case to refuse, rather than read as another amount.
        // Thousands ("1.234.567"), or the Indian lakh and crore ("12,34,567": pairs, then the last three).
        var groups = whole.Split(GroupSeparators);
        var wellGrouped = groups.All(g => g.All(char.IsAsciiDigit)) && (groups.Length == 1
            || (groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3))
            || (groups.Length >= 3 && groups[0].Length is 1 or 2 && groups[1..^1].All(g => g.Length == 2) && groups[^1].Length == 3));
        if (!wellGrouped || !fraction.All(char.IsAsciiDigit) || whole.Length == 0) return s;
        return sign + string.Concat(groups) + (at >= 0 ? "." + fraction : "");
    }

    private static readonly char[] GroupSeparators = [' ', '\u00A0', '\u202F', '\'', '.', ','];

    /// <summary>An API amount ("1234.50") as the reader writes it ("1234,50" in a comma locale), for a form's value.</summary>
    public static string Localize(string amount)
    {
        var dec = CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator;
        return dec == "." ? amount : amount.Replace(".", dec);
    }
}
