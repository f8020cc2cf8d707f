using System.Text;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>One CSV record: the physical line it starts on, its trimmed cells, and a quoting error if any.</summary>
public sealed record CsvRecord(int Line, string[] Cells, string? Error)
{
    /// <summary>The number of cells up to the last non-empty one (a trailing delimiter adds an empty cell).</summary>
    public int Filled
    {
        get
        {
            var n = Cells.Length;
            while (n > 0 && Cells[n - 1].Length == 0) n--;
            return n;
        }
    }
}

/// <summary>RFC 4180 reading with the leniency bank files need: any delimiter, CRLF or LF, quoted line breaks, blank lines skipped.</summary>
public static class CsvRecords
{
    public static readonly char[] Delimiters = [';', ',', '\t', '|'];

    public static List<CsvRecord> Read(string s, char delimiter, int maxRecords = int.MaxValue)
    {
        var records = new List<CsvRecord>(Math.Min(maxRecords, Math.Max(16, s.Length / 64)));
        var cells = new List<string>(16);
        var sb = new StringBuilder();
        var i = 0;
        var line = 1;
        while (i < s.Length && records.Count < maxRecords)
        {
            var startLine = line;
            cells.Clear();
            string? error = null;
            while (true)
            {
                var j = i;
                while (j < s.Length && s[j] == ' ' && delimiter != ' ') j++;
                if (j < s.Length && s[j] == '"')
                {
                    // Fast path: a quoted cell with no doubled quote, closed right before a delimiter or line end.
                    var close = s.IndexOf('"', j + 1);
                    if (close > 0 && (close + 1 == s.Length || s[close + 1] == delimiter || s[close + 1] == '\n' || s[close + 1] == '\r'))
                    {
                        var inner = s.AsSpan(j + 1, close - j - 1);
                        line += inner.Count('\n');
                        cells.Add(inner.Trim().ToString());
                        i = close + 1;
                        goto next;
                    }
                    i = j + 1;
                    sb.Clear();
                    var closed = false;
                    while (i < s.Length)
                    {
                        var c = s[i];
                        if (c == '"')
                        {
                            if (i + 1 < s.Length && s[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                            closed = true;
                            i++;
                            break;
                        }
                        if (c == '\n') line++;
                        sb.Append(c);
                        i++;
                    }
                    if (!closed)
                    {
                        error = "A quoted field is never closed: the file is truncated or its quotes are unbalanced.";
                        cells.Add(sb.ToString().Trim());
                        break;
                    }
                    // Text between the closing quote and the delimiter is kept (some exporters write "a"b).
                    while (i < s.Length && s[i] != delimiter && s[i] != '\n' && s[i] != '\r') sb.Append(s[i++]);
                    cells.Add(sb.ToString().Trim());
                }
                else
                {
                    var start = i;
                    while (i < s.Length && s[i] != delimiter && s[i] != '\n' && s[i] != '\r') i++;
                    cells.Add(s.AsSpan(start, i - start).Trim().ToString());
                }
            next:
                if (i >= s.Length) break;
                if (s[i] == delimiter) { i++; continue; }
                if (s[i] == '\r') i++;
                if (i < s.Length && s[i] == '\n') i++;
                line++;
                break;
            }
            if (error is null && cells.TrueForAll(c => c.Length == 0)) continue;
            records.Add(new CsvRecord(startLine, [.. cells], error));
        }
        return records;
    }

    /// <summary>
    /// The delimiter that leaves whole dates in the cells of the most lines (a wrong one cuts them up or glues
    /// them to their neighbours); then the one that splits the lines into the most consistent number of cells;
    /// on a tie tab, semicolon, bar and comma in that order, commas being the likeliest inside values.
    /// </summary>
    public static char DetectDelimiter(string content)
    {
        var head = content.Length > 64 * 1024 ? content[..(64 * 1024)] : content;
        var best = ',';
        (int Dates, int Table) bestScore = (-1, -1);
        foreach (var d in (ReadOnlySpan<char>)['\t', ';', '|', ','])
        {
            var records = Read(head, d, 200);
            var counts = new Dictionary<int, int>();
            foreach (var r in records)
                if (r.Cells.Length > 1) counts[r.Cells.Length] = counts.GetValueOrDefault(r.Cells.Length) + 1;
            if (counts.Count == 0) continue;
            var table = counts.Max(kv => kv.Value * Math.Min(kv.Key, 12));
            var dates = records.Take(50).Count(r => r.Cells.Length > 1 && r.Cells.Any(IsWholeDate));
            var score = (dates, table);
            if (score.CompareTo(bestScore) > 0) { bestScore = score; best = d; }
        }
        return best;
    }

    private static bool IsWholeDate(string cell) =>
        cell.Length is >= 6 and <= 12 && CsvGuess.DateFormats.Any(f => DateOnly.TryParseExact(cell, f, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _));

    public static char? ParseDelimiter(string? text) => text switch
    {
        null or "" => null,
        "\\t" or "tab" or "TAB" or "\t" => '\t',
        { Length: 1 } => text[0],
        _ => (char)0,
    };

    public static string Name(char delimiter) => delimiter == '\t' ? "\t" : delimiter.ToString();
}
