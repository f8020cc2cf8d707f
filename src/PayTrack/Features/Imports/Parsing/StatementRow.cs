using System.Globalization;
using System.Text;
using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// One transaction read from a bank file, with the 1-based line it starts on. <see cref="Amount"/> is
/// positive; <see cref="Income"/> says the money came in (stored with kind "income") rather than went out.
/// </summary>
public sealed record StatementRow(int Line, DateOnly Date, Money Amount, string? Payee, string? Description, string? Category, string? ExternalId, bool Income = false);

public sealed record ImportError(int Line, string Message);

/// <summary>
/// What a parser read: rows to store, per-line errors, lines skipped on purpose (a zero amount) and
/// warnings (an amount rounded to the currency's decimals). Every transaction row of the file ends in
/// exactly one of <see cref="Rows"/>, <see cref="Errors"/> or <see cref="SkippedLines"/>.
/// </summary>
public sealed class ParseResult
{
    public List<StatementRow> Rows { get; } = [];
    public List<ImportError> Errors { get; } = [];
    public List<ImportError> SkippedLines { get; } = [];
    public List<ImportError> Warnings { get; } = [];
    public int Skipped => SkippedLines.Count;
    /// <summary>A problem with the file as a whole (not a CSV / OFX / QIF file, missing columns).</summary>
    public string? FileError { get; set; }
    /// <summary>Transaction rows seen: stored candidates + errors + skipped.</summary>
    public int TransactionRows => Rows.Count + Errors.Count + SkippedLines.Count;
}

/// <summary>
/// How a CSV file's columns map to expense fields. Columns are named by their header (compared ignoring
/// case) or, when the file has no header (<see cref="HeaderLine"/> 0), by their 1-based number.
/// Null settings are detected from the file.
/// </summary>
public sealed record CsvMapping(
    string? Date = null, string? Amount = null, string? Payee = null, string? Description = null, string? Category = null,
    string? Currency = null, string? DateFormat = null, string? DecimalSeparator = null, string? ExternalId = null,
    int? HeaderLine = null, string? Encoding = null, string? Delimiter = null, string? Debit = null, string? Credit = null,
    string? Direction = null, string? DebitValue = null, string? Sign = null);

/// <summary>How amounts become spending or income: see <see cref="CsvMapping.Sign"/>.</summary>
public static class SignModes
{
    public const string Auto = "auto";
    public const string NegativeIsSpending = "negativeIsSpending";
    public const string PositiveIsSpending = "positiveIsSpending";
    public const string All = "all";
    public static readonly string[] Known = [Auto, NegativeIsSpending, PositiveIsSpending, All];
}

public sealed record ParseOptions(Currency DefaultCurrency, CsvMapping? Mapping = null, string? DateFormat = null);

/// <summary>Text rules every statement format shares: amounts, dates, payee normalisation.</summary>
public static class StatementText
{
    /// <summary>
    /// Reads an amount exactly, without binary floating point: currency symbols and codes before or
    /// after ("-$7,971.39", "12,50 EUR"), thousands separators (',' '.' space, apostrophe), a trailing
    /// minus, parentheses, a CR/DR suffix. <paramref name="decimalSeparator"/> is '.' or ',', the other
    /// being the thousands separator, which must then group exactly three digits — so "12,50" read
    /// with a decimal point is refused rather than read as 1250. '\0' means "one separator is the
    /// decimal one" (OFX, where there are no thousands separators).
    /// </summary>
    public static bool TryReadAmount(string? raw, char decimalSeparator, out decimal value) =>
        TryReadAmount(raw, decimalSeparator, out value, out _);

    public static bool TryReadAmount(string? raw, char decimalSeparator, out decimal value, out string? currencyCode)
    {
        value = 0;
        currencyCode = null;
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var s = raw.AsSpan().Trim();
        var negative = false;
        // Peel signs, parentheses and currency tokens off both ends until only the number is left.
        for (var guard = 0; guard < 8 && s.Length > 0; guard++)
        {
            var before = s.Length;
            if (s[0] == '(' && s[^1] == ')') { negative = !negative; s = s[1..^1].Trim(); }
            if (s.Length > 0 && s[0] is '-' or '\u2212') { negative = !negative; s = s[1..].Trim(); }
            else if (s.Length > 0 && s[0] == '+') s = s[1..].Trim();
            if (s.Length > 0 && s[^1] is '-' or '\u2212') { negative = !negative; s = s[..^1].Trim(); }
            else if (s.Length > 0 && s[^1] == '+') s = s[..^1].Trim();
            var lead = 0;
            while (lead < s.Length && IsCurrencyChar(s[lead])) lead++;
            if (lead > 0)
            {
                if (!Token(s[..lead], ref negative, ref currencyCode)) return false;
                s = s[lead..].Trim();
            }
            var trail = s.Length;
            while (trail > 0 && IsCurrencyChar(s[trail - 1])) trail--;
            if (trail < s.Length)
            {
                if (!Token(s[trail..], ref negative, ref currencyCode)) return false;
                s = s[..trail].Trim();
            }
            if (s.Length == before) break;
        }
        if (s.Length == 0) return false;

        Span<char> digits = stackalloc char[Math.Min(s.Length + 1, 64)];
        if (s.Length >= 64) return false;
        var n = 0;
        var decimalAt = -1;
        char grouping;
        if (decimalSeparator == '\0')
        {
            // One kind of separator: it is the decimal one. Both: the last one is.
            var lastDot = s.LastIndexOf('.');
            var lastComma = s.LastIndexOf(',');
            decimalSeparator = lastDot > lastComma ? '.' : lastComma >= 0 ? ',' : '.';
            grouping = decimalSeparator == '.' ? ',' : '.';
            if (lastDot >= 0 && lastComma >= 0) { } // grouping validated below
            else grouping = '\0';
        }
        else grouping = decimalSeparator == ',' ? '.' : ',';

        var sinceGroup = -1; // digits since the last grouping mark (-1: none seen)
        var digitsBeforeFirstGroup = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                digits[n++] = c;
                if (sinceGroup >= 0) sinceGroup++;
                else if (decimalAt < 0) digitsBeforeFirstGroup++;
                continue;
            }
            if (c == decimalSeparator)
            {
                if (decimalAt >= 0) return false;
                if (sinceGroup >= 0 && sinceGroup != 3) return false;
                decimalAt = n;
                sinceGroup = -1;
                digits[n++] = '.';
                continue;
            }
            var isGroup = c == grouping || c is ' ' or '\'' or '\u00A0' or '\u202F' or '\u2009';
            if (!isGroup || decimalAt >= 0) return false;
            if (sinceGroup >= 0 ? sinceGroup is not (2 or 3) : digitsBeforeFirstGroup is 0 or > 3)
                return false; // "12,50" with a decimal point, or a separator with no digits before it
            sinceGroup = 0;
        }
        if (sinceGroup >= 0 && sinceGroup != 3) return false;
        if (n == 0 || (decimalAt == n - 1 && n == 1)) return false;
        if (!decimal.TryParse(digits[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)) return false;
        if (negative) value = -value;
        return true;
    }

    private static bool IsCurrencyChar(char c) => char.IsLetter(c) || char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol || c is ' ' or '\u00A0';

    /// <summary>A currency symbol or code, or CR (credit) / DR (debit); anything else is not part of an amount.</summary>
    private static bool Token(ReadOnlySpan<char> token, ref bool negative, ref string? code)
    {
        var t = token.Trim().ToString();
        var letters = t.Where(char.IsLetter).ToArray();
        var upper = new string(letters).ToUpperInvariant();
        if (t.Length == 0) return true;
        if (upper == "CR" && letters.Length == t.Length) return true;
        if (upper == "DR" && letters.Length == t.Length) { negative = !negative; return true; }
        if (letters.Length == 3 && PayTrack.Domain.Currency.TryGet(upper, out _)) { code = upper; return true; }
        // A symbol with at most a few letters: $, €, £, R$, US$, kr, zł, Fr.
        return t.Length <= 4 && (t.Any(c => char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol) || upper is "KR" or "ZŁ" or "FR" or "RS" or "LEI" or "KČ");
    }

    /// <summary>
    /// A signed amount as stored money: positive, rounded half away from zero to the currency's decimals.
    /// <paramref name="warning"/> says when rounding changed it.
    /// </summary>
    public static bool TryMoney(decimal value, Currency currency, out Money money, out string error, out string? warning)
    {
        money = default;
        warning = null;
        error = "";
        var abs = Math.Abs(value);
        var rounded = Math.Round(abs, currency.MinorDigits, MidpointRounding.AwayFromZero);
        if (rounded != abs)
            warning = string.Create(CultureInfo.InvariantCulture, $"{abs} has more decimals than {currency.Code} uses; rounded to {rounded.ToString("F" + currency.MinorDigits, CultureInfo.InvariantCulture)}.");
        if (rounded >= Money.MaxMajor) { error = "The amount is too large."; return false; }
        money = new Money((long)(rounded * currency.MinorPerMajor), currency);
        return true;
    }

    /// <summary>The usual spellings of a date format ("DD.MM.YYYY", "dd/mm/yyyy") as .NET reads them.</summary>
    public static string NormalizeDateFormat(string format)
    {
        var sb = new StringBuilder(format.Length);
        foreach (var c in format.Trim())
            sb.Append(c switch { 'D' => 'd', 'Y' => 'y', 'm' => 'M', 'J' or 'j' => 'y', 'T' or 't' => 'd', 'A' or 'a' => 'y', _ => c });
        return sb.ToString();
    }

    private static readonly string[] IsoDates = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd"];

    /// <summary>A date in <paramref name="format"/> (ISO when null); a time after the date ("2026-01-03 10:22") is ignored.</summary>
    public static bool TryReadDate(string? raw, string? format, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var text = raw.AsSpan().Trim();
        if (Parse(text, format, out date)) return date.Year is >= 1900 and <= 2999;
        // "2026-01-03 10:22:00", "2026-01-03T10:22:00Z", "03.01.2026 10:22": the date is the first part.
        var cut = text.IndexOfAny(' ', 'T');
        if (format is not null && format.Contains(' ', StringComparison.Ordinal)) cut = -1;
        if (cut > 0 && Parse(text[..cut], format, out date)) return date.Year is >= 1900 and <= 2999;
        return false;

        static bool Parse(ReadOnlySpan<char> s, string? f, out DateOnly d) => f is null
            ? DateOnly.TryParseExact(s, IsoDates, CultureInfo.InvariantCulture, DateTimeStyles.None, out d)
            : DateOnly.TryParseExact(s, f, CultureInfo.InvariantCulture, DateTimeStyles.None, out d);
    }

    /// <summary>The payee as duplicate detection compares it: lower-case letters and digits, single spaces.</summary>
    public static string NormalizePayee(string? payee)
    {
        if (string.IsNullOrWhiteSpace(payee)) return "";
        var sb = new StringBuilder(payee.Length);
        var space = false;
        foreach (var c in payee.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c)) { if (space && sb.Length > 0) sb.Append(' '); sb.Append(c); space = false; }
            else space = true;
        }
        return sb.ToString();
    }

    public static string? Clean(string? s, int max)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        if (s.Contains('\n') || s.Contains('\r') || s.Contains('\t')) s = string.Join(' ', s.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return s.Length > max ? s[..max] : s;
    }
}
