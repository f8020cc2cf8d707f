using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// OFX and QFX statements, both the SGML dialect (OFX 1.x: leaf tags left open, a value running to the
/// next tag, even on the following line) and the XML one (OFX 2.x), with CDATA and entities. Each
/// <c>STMTTRN</c> is one transaction in its statement's currency (<c>CURDEF</c>, so a file may hold
/// several statements in several currencies); a negative <c>TRNAMT</c> is spending, a positive one income.
/// </summary>
public static partial class OfxParser
{
    private readonly record struct Token(string Name, bool Closing, string Value, int Line);

    public static bool LooksLikeOfx(string head) =>
        head.Contains("OFXHEADER", StringComparison.OrdinalIgnoreCase) || head.Contains("<OFX>", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What the file says its text is, read from the start of the file (any ASCII-compatible reading of it):
    /// XML's <c>&lt;?xml … encoding="windows-1250"?&gt;</c>, or the SGML header's <c>ENCODING:UTF-8</c>
    /// (also <c>UNICODE</c>, which writers use for UTF-8) or <c>CHARSET:1250</c> / <c>CHARSET:ISO-8859-2</c>
    /// (with <c>ENCODING:USASCII</c>). <c>Name</c> is the normalised encoding, null when the file names
    /// none or one that cannot be decoded (then <c>Declared</c> holds what it said).
    /// </summary>
    public static (string? Name, string? Declared) DeclaredEncoding(string head)
    {
        if (XmlEncoding().Match(head) is { Success: true } xml) return (TextDecoding.Normalize(xml.Groups[1].Value), xml.Groups[1].Value);
        var ofx = head.IndexOf('<');
        var header = ofx < 0 ? head : head[..ofx];
        var encoding = Field(header, "ENCODING");
        if (encoding is not null && (encoding.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || encoding.Equals("UTF8", StringComparison.OrdinalIgnoreCase)
            || encoding.Equals("UNICODE", StringComparison.OrdinalIgnoreCase)))
            return (TextDecoding.Utf8, encoding);
        var charset = Field(header, "CHARSET");
        if (charset is null || charset.Equals("NONE", StringComparison.OrdinalIgnoreCase)) return (null, null);
        return (TextDecoding.Normalize(charset), charset);
    }

    private static string? Field(string header, string name)
    {
        foreach (Match m in SgmlHeader().Matches(header))
            if (m.Groups[1].Value.Equals(name, StringComparison.OrdinalIgnoreCase)) return m.Groups[2].Value.Trim() is { Length: > 0 } v ? v : null;
        return null;
    }

    [GeneratedRegex("""<\?xml[^>]*?\bencoding\s*=\s*["']([^"']{1,40})["']""", RegexOptions.IgnoreCase)]
    private static partial Regex XmlEncoding();

    [GeneratedRegex(@"^[ \t]*([A-Za-z]+)[ \t]*:[ \t]*([^\r\n]*)\r?$", RegexOptions.Multiline)]
    private static partial Regex SgmlHeader();

    public static ParseResult Parse(TextReader text, ParseOptions options) => Parse(text.ReadToEnd(), options);

    public static ParseResult Parse(string content, ParseOptions options)
    {
        var result = new ParseResult();
        var tokens = Tokenize(content, out var lastLine);
        if (!tokens.Any(t => t.Name == "OFX" && !t.Closing))
        {
            result.FileError = "This is not an OFX file: there is no <OFX> element.";
            return result;
        }
        var currency = options.DefaultCurrency;
        Dictionary<string, (string Value, int Line)>? trn = null;
        string? aggregate = null; // CURRENCY or ORIGCURRENCY inside a transaction
        var trnLine = 0;
        foreach (var t in tokens)
        {
            switch (t.Name)
            {
                case "STMTRS" or "CCSTMTRS" when !t.Closing:
                    currency = options.DefaultCurrency; // each statement names its own currency
                    continue;
                case "STMTTRN":
                    if (!t.Closing)
                    {
                        if (trn is not null) result.Errors.Add(new ImportError(trnLine, "This transaction is not closed with </STMTTRN>."));
                        trn = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
                        trnLine = t.Line;
                    }
                    else if (trn is not null)
                    {
                        Finish(trn, trnLine, currency, result);
                        trn = null;
                    }
                    aggregate = null;
                    continue;
                case "CURRENCY" or "ORIGCURRENCY" when trn is not null:
                    aggregate = t.Closing ? null : t.Name;
                    continue;
            }
            if (t.Closing) continue;
            if (trn is not null) trn.TryAdd(aggregate is null ? t.Name : aggregate + "." + t.Name, (t.Value, t.Line));
            else if (t.Name == "CURDEF" && Currency.TryGet(t.Value, out var c)) currency = c;
        }
        if (trn is not null) result.Errors.Add(new ImportError(trnLine, "The file ends inside this transaction: it is truncated."));
        else if (!tokens.Any(t => t.Name == "OFX" && t.Closing)) result.Errors.Add(new ImportError(lastLine, "The file ends before </OFX>: it is truncated."));
        return result;
    }

    private static void Finish(Dictionary<string, (string Value, int Line)> trn, int line, Currency currency, ParseResult result)
    {
        string? Get(string name) => trn.TryGetValue(name, out var v) && v.Value.Length > 0 ? v.Value : null;
        var posted = Get("DTPOSTED") ?? Get("DTUSER");
        if (posted is null || posted.Length < 8 || !StatementText.TryReadDate(posted[..8], "yyyyMMdd", out var date))
        {
            result.Errors.Add(new ImportError(line, $"DTPOSTED '{posted}' is not a date (YYYYMMDD…)."));
            return;
        }
        // OFX has no thousands separators; its decimal mark may be a comma.
        if (!StatementText.TryReadAmount(Get("TRNAMT"), '\0', out var value))
        {
            result.Errors.Add(new ImportError(line, Get("TRNAMT") is null ? "The transaction has no TRNAMT." : $"TRNAMT '{Get("TRNAMT")}' is not an amount."));
            return;
        }
        if (value == 0) { result.SkippedLines.Add(new ImportError(line, "The amount is zero.")); return; }
        // A CURRENCY aggregate means the amount is in that currency; ORIGCURRENCY only tells where it came from.
        if (Get("CURRENCY.CURSYM") is { } cur && Currency.TryGet(cur, out var own)) currency = own;
        if (!StatementText.TryMoney(value, currency, out var money, out var error, out var warning))
        {
            result.Errors.Add(new ImportError(line, error));
            return;
        }
        if (warning is not null) result.Warnings.Add(new ImportError(line, warning));
        var payee = Get("NAME") ?? Get("PAYEE");
        result.Rows.Add(new StatementRow(line, date, money, StatementText.Clean(payee, 200), StatementText.Clean(Get("MEMO"), 1000), null,
            StatementText.Clean(Get("FITID"), 200), Income: value > 0));
    }

    /// <summary>
    /// Tags and the text after each up to the next tag (across line breaks, CDATA kept verbatim, entities
    /// decoded), with line numbers; headers, comments and processing instructions are skipped.
    /// </summary>
    private static List<Token> Tokenize(string s, out int lastLine)
    {
        var tokens = new List<Token>(s.Length / 24);
        var line = 1;
        var i = 0;
        var value = new StringBuilder();
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\n') { line++; i++; continue; }
            if (c != '<') { i++; continue; }
            if (string.CompareOrdinal(s, i, "<!--", 0, 4) == 0)
            {
                var endComment = s.IndexOf("-->", i + 4, StringComparison.Ordinal);
                var stop = endComment < 0 ? s.Length : endComment + 3;
                line += CountNewlines(s, i, stop);
                i = stop;
                continue;
            }
            var close = s.IndexOf('>', i + 1);
            if (close < 0) break;
            var tag = s.AsSpan(i + 1, close - i - 1).Trim();
            var tagLine = line;
            line += CountNewlines(s, i, close);
            i = close + 1;
            if (tag.Length == 0 || tag[0] is '?' or '!') continue;
            var closing = tag[0] == '/';
            var nameSpan = (closing ? tag[1..] : tag).Trim();
            var space = nameSpan.IndexOfAny(' ', '\t', '/');
            if (space > 0) nameSpan = nameSpan[..space];
            var name = nameSpan.ToString().ToUpperInvariant();
            if (closing) { tokens.Add(new Token(name, true, "", tagLine)); continue; }
            value.Clear();
            while (i < s.Length)
            {
                var next = s.IndexOf('<', i);
                var end = next < 0 ? s.Length : next;
                var text = s.AsSpan(i, end - i);
                line += text.Count('\n');
                if (text.Contains('&')) value.Append(WebUtility.HtmlDecode(text.ToString())); else value.Append(text);
                i = end;
                if (next >= 0 && string.CompareOrdinal(s, next, "<![CDATA[", 0, 9) == 0)
                {
                    var cdataEnd = s.IndexOf("]]>", next + 9, StringComparison.Ordinal);
                    var stop = cdataEnd < 0 ? s.Length : cdataEnd;
                    value.Append(s, next + 9, stop - next - 9);
                    line += CountNewlines(s, next, stop);
                    i = cdataEnd < 0 ? s.Length : cdataEnd + 3;
                    continue;
                }
                break;
            }
            tokens.Add(new Token(name, false, value.ToString().Trim(), tagLine));
        }
        lastLine = line;
        return tokens;
    }

    private static int CountNewlines(string s, int from, int to) => s.AsSpan(from, Math.Max(0, to - from)).Count('\n');
}
