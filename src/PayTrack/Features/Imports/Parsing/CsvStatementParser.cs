using System.Globalization;
using CsvHelper;
using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// CSV with a header line and a column mapping: ',' ';' or tab separators (detected from the header),
/// quoted fields, a BOM, a decimal comma and any date format the mapping names.
/// </summary>
public static class CsvStatementParser
{
    public static ParseResult Parse(TextReader text, ParseOptions options)
    {
        var result = new ParseResult();
        var mapping = options.Mapping ?? new CsvMapping();
        var decimalSeparator = mapping.DecimalSeparator switch { null or "" or "." => '.', "," => ',', _ => '\0' };
        if (decimalSeparator == '\0') { result.FileError = "mapping.decimalSeparator must be '.' or ','."; return result; }

        var content = text.ReadToEnd().TrimStart('\uFEFF');
        var firstLine = content.AsSpan()[..Math.Max(0, content.AsSpan().IndexOfAny('\r', '\n') is var nl and >= 0 ? nl : content.Length)].ToString();
        if (string.IsNullOrWhiteSpace(firstLine)) { result.FileError = "The file is empty; a CSV file starts with a header line."; return result; }

        // Quoting problems (an unclosed quote, text after a closing quote) are reported by line and the record left out.
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var csvOptions = CsvReaderOptions.Default with
        {
            Separator = DetectDelimiter(firstLine),
            HasHeader = true,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m => { if (m.Reason != CsvMalformedReason.FieldCountMismatch) malformed.TryAdd(m.LineNumber, m.Reason); },
            FormatProvider = CultureInfo.InvariantCulture,
        };
        using var csv = CsvReader.FromText(content, csvOptions);
        var header = csv.Headers.Select(h => h.Trim()).ToList();
        int Column(string? name) => name is null ? -1 : header.FindIndex(h => string.Equals(h, name.Trim(), StringComparison.OrdinalIgnoreCase));
        int date = Column(mapping.Date), amount = Column(mapping.Amount), payee = Column(mapping.Payee), description = Column(mapping.Description),
            category = Column(mapping.Category), currency = Column(mapping.Currency), externalId = Column(mapping.ExternalId);
        var missing = new List<string>();
        if (date < 0) missing.Add($"date ('{mapping.Date}')");
        if (amount < 0) missing.Add($"amount ('{mapping.Amount}')");
        foreach (var (name, index) in new[] { (mapping.Payee, payee), (mapping.Description, description), (mapping.Category, category), (mapping.Currency, currency), (mapping.ExternalId, externalId) })
            if (name is not null && index < 0) missing.Add($"'{name}'");
        if (missing.Count > 0)
        {
            result.FileError = $"The header line has no column for {string.Join(", ", missing)}; columns are: {string.Join(", ", header)}.";
            return result;
        }

        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (malformed.TryGetValue(csv.LineNumber, out var reason))
            {
                result.Errors.Add(new ImportError(line, reason switch
                {
                    CsvMalformedReason.UnterminatedQuote => "A quoted field is never closed: the file is truncated or its quotes are unbalanced.",
                    _ => $"The quoting of this line is malformed ({reason}).",
                }));
                continue;
            }
            if (csv.FieldCount != header.Count)
            {
                result.Errors.Add(new ImportError(line, $"Expected {header.Count} columns, found {csv.FieldCount}."));
                continue;
            }
            string Cell(int i) => csv.GetString(i) ?? "";
            var cur = options.DefaultCurrency;
            if (currency >= 0 && !string.IsNullOrWhiteSpace(Cell(currency)) && !Currency.TryGet(Cell(currency), out cur))
            {
                result.Errors.Add(new ImportError(line, $"'{Cell(currency)}' is not a supported currency."));
                continue;
            }
            if (!StatementText.TryReadDate(Cell(date), mapping.DateFormat, out var d))
            {
                result.Errors.Add(new ImportError(line, $"'{Cell(date)}' is not a date{(mapping.DateFormat is null ? " (YYYY-MM-DD; name another format in mapping.dateFormat)" : $" in the format {mapping.DateFormat}")}."));
                continue;
            }
            if (!StatementText.TryReadAmount(Cell(amount), decimalSeparator, out var value))
            {
                result.Errors.Add(new ImportError(line, $"'{Cell(amount)}' is not an amount."));
                continue;
            }
            // A CSV is the user's own list of expenses: the sign is ignored, bank-style negatives included.
            if (!StatementText.TryMoney(value, cur, out var money, out var error))
            {
                result.Errors.Add(new ImportError(line, error));
                continue;
            }
            result.Rows.Add(new StatementRow(line, d, money,
                payee >= 0 ? StatementText.Clean(Cell(payee), 200) : null,
                description >= 0 ? StatementText.Clean(Cell(description), 1000) : null,
                category >= 0 ? StatementText.Clean(Cell(category), 60) : null,
                externalId >= 0 ? StatementText.Clean(Cell(externalId), 200) : null));
        }
        return result;
    }

    /// <summary>The separator is whichever of ';' ',' or tab the header line uses most (outside quotes).</summary>
    internal static char DetectDelimiter(string header)
    {
        int comma = 0, semicolon = 0, tab = 0;
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted) { if (c == ',') comma++; else if (c == ';') semicolon++; else if (c == '\t') tab++; }
        }
        return semicolon > comma && semicolon >= tab ? ';' : tab > comma ? '\t' : ',';
    }
}
