using System.Net;
using System.Text;
using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// OFX and QFX statements, both the SGML dialect (OFX 1.x: leaf tags left open, values to the end
/// of the line) and the XML one (OFX 2.x). Each <c>STMTTRN</c> is one transaction; money going out
/// (a negative <c>TRNAMT</c>) becomes an expense, money coming in is skipped.
/// </summary>
public static class OfxParser
{
    private sealed record Token(string Name, bool Closing, string Value, int Line);

    public static bool LooksLikeOfx(string head) =>
        head.Contains("OFXHEADER", StringComparison.OrdinalIgnoreCase) || head.Contains("<OFX>", StringComparison.OrdinalIgnoreCase);

    public static ParseResult Parse(TextReader text, ParseOptions options)
    {
        var result = new ParseResult();
        var tokens = Tokenize(text.ReadToEnd(), out var lastLine);
        if (!tokens.Any(t => t.Name == "OFX" && !t.Closing))
        {
            result.FileError = "This is not an OFX file: there is no <OFX> element.";
            return result;
        }
        var currency = options.DefaultCurrency;
        Dictionary<string, (string Value, int Line)>? trn = null;
        var trnLine = 0;
        foreach (var t in tokens)
        {
            if (t.Name == "STMTTRN")
            {
                if (!t.Closing)
                {
                    if (trn is not null) result.Errors.Add(new ImportError(trnLine, "This transaction is not closed with </STMTTRN>."));
                    trn = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
                    trnLine = t.Line;
                }
                else if (trn is not null)
                {
                    Finish(trn, trnLine, currency, options, result);
                    trn = null;
                }
                continue;
            }
            if (t.Closing) continue;
            if (trn is not null) trn.TryAdd(t.Name, (t.Value, t.Line));
            else if (t.Name == "CURDEF" && Currency.TryGet(t.Value, out var c)) currency = c;
        }
        if (trn is not null) result.Errors.Add(new ImportError(trnLine, "The file ends inside this transaction: it is truncated."));
        else if (!tokens.Any(t => t.Name == "OFX" && t.Closing)) result.Errors.Add(new ImportError(lastLine, "The file ends before </OFX>: it is truncated."));
        return result;
    }

    private static void Finish(Dictionary<string, (string Value, int Line)> trn, int line, Currency currency, ParseOptions options, ParseResult result)
    {
        string? Get(string name) => trn.TryGetValue(name, out var v) && v.Value.Length > 0 ? v.Value : null;
        var posted = Get("DTPOSTED");
        if (posted is null || posted.Length < 8 || !StatementText.TryReadDate(posted[..8], "yyyyMMdd", out var date))
        {
            result.Errors.Add(new ImportError(line, $"DTPOSTED '{posted}' is not a date (YYYYMMDD…)."));
            return;
        }
        if (!StatementText.TryReadAmount(Get("TRNAMT"), '.', out var value))
        {
            result.Errors.Add(new ImportError(line, $"TRNAMT '{Get("TRNAMT")}' is not an amount."));
            return;
        }
        if (value >= 0) { result.Skipped++; return; }
        if (Get("CURRENCY") is { } cur && Currency.TryGet(cur, out var own)) currency = own;
        if (!StatementText.TryMoney(value, currency, out var money, out var error))
        {
            result.Errors.Add(new ImportError(line, error));
            return;
        }
        var payee = Get("NAME") ?? Get("PAYEE");
        result.Rows.Add(new StatementRow(line, date, money, StatementText.Clean(payee, 200), StatementText.Clean(Get("MEMO"), 1000), null,
            StatementText.Clean(Get("FITID"), 200)));
    }

    /// <summary>Tags and the text after each (up to the next tag or line end), with line numbers; headers and processing instructions are skipped.</summary>
    private static List<Token> Tokenize(string s, out int lastLine)
    {
        var tokens = new List<Token>();
        var line = 1;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\n') { line++; i++; continue; }
            if (c != '<') { i++; continue; }
            var close = s.IndexOf('>', i + 1);
            if (close < 0) break;
            var tag = s[(i + 1)..close].Trim();
            var tagLine = line;
            line += CountNewlines(s, i, close);
            i = close + 1;
            if (tag.Length == 0 || tag[0] is '?' or '!') continue;
            var closing = tag[0] == '/';
            var name = (closing ? tag[1..] : tag).Trim().ToUpperInvariant();
            if (closing) { tokens.Add(new Token(name, true, "", tagLine)); continue; }
            var end = i;
            while (end < s.Length && s[end] is not ('<' or '\r' or '\n')) end++;
            tokens.Add(new Token(name, false, WebUtility.HtmlDecode(s[i..end].Trim()), tagLine));
            i = end;
        }
        lastLine = line;
        return tokens;
    }

    private static int CountNewlines(string s, int from, int to)
    {
        var n = 0;
        for (var k = from; k < to; k++) if (s[k] == '\n') n++;
        return n;
    }
}
