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
        s = s.Replace(" ", "").Replace("\u00A0", "").Replace("\u202F", "").Replace("'", "");
        int lastDot = s.LastIndexOf('.'), lastComma = s.LastIndexOf(',');
        if (lastDot < 0 && lastComma < 0) return s;
        if (lastDot >= 0 && lastComma >= 0)
        {
            // Both present: the later one is the decimal separator, the other groups thousands.
            var (dec, group) = lastDot > lastComma ? ('.', ',') : (',', '.');
            return s.Replace(group.ToString(), "").Replace(dec, '.');
        }
        var sep = lastDot >= 0 ? '.' : ',';
        var count = s.Count(c => c == sep);
        var after = s.Length - s.LastIndexOf(sep) - 1;
        // Repeated ("1.234.567"), it groups thousands. Once, it is the decimal separator — unless it is not the
        // reader's decimal separator and three digits follow ("1,234" in English, "1.234" in German): then it groups.
        var readersDecimal = (decimalSeparator ?? CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator) is "," ? ',' : '.';
        if (count > 1 || (sep != readersDecimal && after == 3)) return s.Replace(sep.ToString(), "");
        return s.Replace(sep, '.');
    }

    /// <summary>An API amount ("1234.50") as the reader writes it ("1234,50" in a comma locale), for a form's value.</summary>
    public static string Localize(string amount)
    {
        var dec = CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator;
        return dec == "." ? amount : amount.Replace(".", dec);
    }
}
