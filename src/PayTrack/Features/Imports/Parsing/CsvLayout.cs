using System.Globalization;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// Where a CSV file's table is: its delimiter, its header line (0: none; lines above it are the bank's
/// preamble), its column names and the records below the header.
/// </summary>
public sealed record CsvLayout(char Delimiter, int HeaderLine, IReadOnlyList<string> Columns, List<CsvRecord> Records)
{
    /// <summary>Finds the table in <paramref name="content"/>; a given delimiter or header line wins over detection.</summary>
    public static CsvLayout Detect(string content, char? delimiter, int? headerLine, out string? error)
    {
        error = null;
        var d = delimiter ?? CsvRecords.DetectDelimiter(content);
        var records = CsvRecords.Read(content, d);
        if (records.Count == 0) { error = "The file is empty."; return new(d, 0, [], []); }

        int headerIndex; // index in records of the header, -1 when there is none
        if (headerLine is 0) headerIndex = -1;
        else if (headerLine is { } given)
        {
            headerIndex = records.FindIndex(r => r.Line == given);
            if (headerIndex < 0) { error = $"Line {given} is empty or inside another row; it cannot be the header line."; return new(d, 0, [], []); }
        }
        else headerIndex = FindHeader(records);

        List<string> columns;
        List<CsvRecord> data;
        if (headerIndex < 0)
        {
            var width = records.Max(r => r.Cells.Length);
            columns = Enumerable.Range(1, width).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            data = records;
        }
        else
        {
            var header = records[headerIndex];
            // Unnamed cells after the last name (a trailing delimiter, a flag column without a title) are columns too.
            columns = header.Cells.Select((c, i) => c.Length > 0 ? c : $"Column {i + 1}").ToList();
            data = records.GetRange(headerIndex + 1, records.Count - headerIndex - 1);
        }
        return new(d, headerIndex < 0 ? 0 : records[headerIndex].Line, columns, data);
    }

    /// <summary>
    /// The table's width is the cell count the rows share; the header is the first record of about that
    /// width. If that record holds values (a date, an amount) rather than names, the file has no header.
    /// </summary>
    private static int FindHeader(List<CsvRecord> records)
    {
        // Raw cell counts: data rows keep their trailing empty cells, so they agree with the header's count.
        var counts = new Dictionary<int, int>();
        foreach (var r in records.Take(2000)) counts[r.Cells.Length] = counts.GetValueOrDefault(r.Cells.Length) + 1;
        // Wide rows weigh more than many narrow ones: a bank's preamble is a few key/value lines above a wide table.
        var width = counts.MaxBy(kv => (long)kv.Value * kv.Key * kv.Key).Key;
        for (var i = 0; i < records.Count && i < 200; i++)
        {
            var r = records[i];
            if (r.Cells.Length < Math.Max(1, width - 1) || r.Cells.Length > width + 1 || r.Filled < Math.Min(2, width)) continue;
            if (!r.Cells.Any(c => c.Length > 0 && LooksLikeValue(c))) return i;
            // A row with a date and an amount is the first transaction: there is no header. Anything else
            // ("Account:;DE12 3456", "Period:;01.01.2026 - 31.01.2026") is a preamble line of about the table's width.
            var dateCell = Array.FindIndex(r.Cells, c => CsvGuess.DateFormats.Any(f => StatementText.TryReadDate(c, f, out _)));
            if (dateCell >= 0 && r.Cells.Where((c, k) => k != dateCell).Any(c => StatementText.TryReadAmount(c, '\0', out _))) return -1;
        }
        return -1;
    }

    /// <summary>A date or an amount rather than a column name: mostly digits.</summary>
    internal static bool LooksLikeValue(string cell)
    {
        int digits = 0, others = 0;
        foreach (var c in cell)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (char.IsLetter(c)) others++;
        }
        return digits > 0 && digits >= others;
    }

    /// <summary>Column index for a mapping name: a header name (ignoring case) or, failing that, a 1-based column number.</summary>
    public int IndexOf(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return -1;
        var n = name.Trim();
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i], n, StringComparison.OrdinalIgnoreCase)) return i;
        return int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= Columns.Count ? number - 1 : -1;
    }
}
