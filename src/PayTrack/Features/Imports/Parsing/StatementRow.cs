using System.Globalization;
using System.Text;
using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>One transaction read from a bank file, with the 1-based line it starts on.</summary>
public sealed record StatementRow(int Line, DateOnly Date, Money Amount, string? Payee, string? Description, string? Category, string? ExternalId);

public sealed record ImportError(int Line, string Message);

/// <summary>What a parser read: good rows, per-line errors, and rows it skipped on purpose (money coming in).</summary>
public sealed class ParseResult
{
    public List<StatementRow> Rows { get; } = [];
    public List<ImportError> Errors { get; } = [];
    public int Skipped { get; set; }
    /// <summary>A problem with the file as a whole (not a CSV / OFX / QIF file, missing columns).</summary>
    public string? FileError { get; set; }
}

/// <summary>How a CSV file's columns map to expense fields; names are header names, compared ignoring case.</summary>
public sealed record CsvMapping(
    string? Date = "date", string? Amount = "amount", string? Payee = null, string? Description = null, string? Category = null,
    string? Currency = null, string? DateFormat = null, string? DecimalSeparator = null, string? ExternalId = null);

public sealed record ParseOptions(Currency DefaultCurrency, CsvMapping? Mapping = null, string? DateFormat = null);

/// <summary>Text rules every statement format shares: amounts, dates, payee normalisation.</summary>
public static class StatementText
{
    /// <summary>
    /// Reads an amount such as "-1,234.56", "(12.00)", "12,50" (decimal comma) exactly, without
    /// binary floating point. Answers the signed value as text for <see cref="Money.TryParse"/>.
    /// </summary>
    public static bool TryReadAmount(string? raw, char decimalSeparator, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var s = raw.Trim();
        var negative = false;
        if (s.StartsWith('(') && s.EndsWith(')')) { negative = true; s = s[1..^1].Trim(); }
        if (s.EndsWith('-')) { negative = true; s = s[..^1].Trim(); }
        if (s.StartsWith('-')) { negative = !negative; s = s[1..].Trim(); }
        else if (s.StartsWith('+')) s = s[1..].Trim();
        var grouping = decimalSeparator == ',' ? '.' : ',';
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c == grouping || c is ' ' or '\'' or '\u00A0' or '\u202F') continue;
            sb.Append(c == decimalSeparator ? '.' : c);
        }
        if (!decimal.TryParse(sb.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)) return false;
        if (negative) value = -value;
        return true;
    }

    /// <summary>An amount as an expense: money going out in <paramref name="currency"/>, positive, within its minor digits.</summary>
    public static bool TryMoney(decimal value, Currency currency, out Money money, out string error) =>
        Money.TryParse(Math.Abs(value).ToString(CultureInfo.InvariantCulture), currency, out money, out error);

    private static readonly string[] IsoDates = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd"];

    public static bool TryReadDate(string? raw, string? format, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var text = raw.Trim();
        var formats = format is null ? IsoDates : [format];
        return DateOnly.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date)
            && date.Year is >= 1900 and <= 2999;
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
        return s.Length > max ? s[..max] : s;
    }
}
