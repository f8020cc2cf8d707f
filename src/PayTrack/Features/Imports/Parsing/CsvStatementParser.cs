using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// CSV as banks export it: a detected delimiter and header line (preamble lines above it are ignored; no
/// header at all is allowed), a column mapping by header name or column number, amounts in one signed
/// column, in debit and credit columns, or with a debit/credit flag column, and a sign convention.
/// </summary>
public static class CsvStatementParser
{
    /// <summary>The file's table, the guesses made from it and the mapping actually used, for the preview.</summary>
    public sealed record Details(CsvLayout Layout, CsvMapping Guessed, CsvMapping Used);

    public static ParseResult Parse(TextReader text, ParseOptions options) => Parse(text.ReadToEnd(), options, out _);

    public static ParseResult Parse(string content, ParseOptions options, out Details? details)
    {
        details = null;
        var result = new ParseResult();
        content = content.TrimStart('\uFEFF');
        var given = options.Mapping;
        var delimiter = CsvRecords.ParseDelimiter(given?.Delimiter);
        if (delimiter == (char)0) { result.FileError = "The delimiter must be a single character (or \"tab\")."; return result; }
        if (string.IsNullOrWhiteSpace(content)) { result.FileError = "The file is empty; a CSV file has one line per transaction."; return result; }
        var layout = CsvLayout.Detect(content, delimiter, given?.HeaderLine, out var layoutError);
        if (layoutError is not null) { result.FileError = layoutError; return result; }
        var guess = CsvGuess.Columns(layout);
        var guessed = guess.Mapping;
        // A mapping that names no columns (only settings such as headerLine or encoding) keeps the guessed columns.
        var namesColumns = given is not null && (given.Date ?? given.Amount ?? given.Debit ?? given.Credit) is not null;
        var m = given is null ? guessed : (namesColumns ? given : given with
        {
            Date = guessed.Date, Amount = guessed.Amount, Debit = guessed.Debit, Credit = guessed.Credit, Direction = guessed.Direction,
            DebitValue = given.DebitValue ?? guessed.DebitValue, Payee = guessed.Payee, Description = guessed.Description,
            Category = guessed.Category, Currency = guessed.Currency, ExternalId = guessed.ExternalId,
        }) with
        {
            DateFormat = given.DateFormat ?? (namesColumns && layout.IndexOf(given.Date) is >= 0 and var di
                ? CsvGuess.DateFormat(layout.Records.Take(500).Where(r => di < r.Cells.Length && r.Cells[di].Length > 0).Select(r => r.Cells[di]).ToList(), out _) : guessed.DateFormat),
            DecimalSeparator = given.DecimalSeparator ?? (namesColumns
                ? CsvGuess.DecimalSeparator(new[] { given.Amount, given.Debit, given.Credit }.Select(layout.IndexOf).Where(i => i >= 0)
                    .SelectMany(i => layout.Records.Take(500).Where(r => i < r.Cells.Length && r.Cells[i].Length > 0).Select(r => r.Cells[i]))).ToString()
                : guessed.DecimalSeparator),
            Sign = given.Sign ?? SignModes.Auto,
            HeaderLine = layout.HeaderLine,
            Delimiter = CsvRecords.Name(layout.Delimiter),
        };
        details = new Details(layout, guessed, m);
        if (given?.DateFormat is null && m.DateFormat == guessed.DateFormat && guess.Ambiguity is not null) result.Warnings.Add(new ImportError(Math.Max(1, layout.HeaderLine), guess.Ambiguity));

        var decimalSeparator = m.DecimalSeparator switch { null or "" or "." => '.', "," => ',', _ => '\0' };
        if (decimalSeparator == '\0') { result.FileError = "The decimal separator must be '.' or ','."; return result; }
        var sign = m.Sign ?? SignModes.Auto;
        if (!SignModes.Known.Contains(sign)) { result.FileError = $"The sign setting must be one of {string.Join(", ", SignModes.Known)}."; return result; }
        var dateFormat = m.DateFormat is { Length: > 0 } f ? StatementText.NormalizeDateFormat(f) : null;

        int date = layout.IndexOf(m.Date), amount = layout.IndexOf(m.Amount), debit = layout.IndexOf(m.Debit), credit = layout.IndexOf(m.Credit),
            direction = layout.IndexOf(m.Direction), payee = layout.IndexOf(m.Payee), description = layout.IndexOf(m.Description),
            category = layout.IndexOf(m.Category), currency = layout.IndexOf(m.Currency), externalId = layout.IndexOf(m.ExternalId);
        var missing = new List<string>();
        if (m.Date is null) missing.Add("the date");
        else if (date < 0) missing.Add($"date ('{m.Date}')");
        if (m.Amount is null && m.Debit is null && m.Credit is null) missing.Add("the amount (or debit and credit)");
        foreach (var (label, name, index) in new[] { ("amount", m.Amount, amount), ("debit", m.Debit, debit), ("credit", m.Credit, credit), ("direction", m.Direction, direction),
                     ("payee", m.Payee, payee), ("description", m.Description, description), ("category", m.Category, category), ("currency", m.Currency, currency), ("externalId", m.ExternalId, externalId) })
            if (name is not null && index < 0) missing.Add($"{label} ('{name}')");
        if (missing.Count > 0)
        {
            result.FileError = layout.HeaderLine == 0
                ? $"No column was found for {string.Join(", ", missing)}. This file has no header line, so name columns by number (1 to {layout.Columns.Count})."
                : $"The header line (line {layout.HeaderLine}) has no column for {string.Join(", ", missing)}; its columns are: {string.Join(", ", layout.Columns)}.";
            return result;
        }
        if (direction >= 0 && m.DebitValue is null) { result.FileError = "With a debit/credit flag column, say which flag value marks money going out (for example D or Af)."; return result; }

        var width = layout.Columns.Count;
        var needed = new[] { date, amount, debit, credit, direction, payee, description, category, currency, externalId }.Max() + 1;
        var parsed = new List<(CsvRecord Record, DateOnly Date, decimal Value, bool? Income, Currency Currency)>(layout.Records.Count);
        foreach (var record in layout.Records)
        {
            var line = record.Line;
            if (record.Error is not null) { result.Errors.Add(new ImportError(line, record.Error)); continue; }
            var cells = record.Cells;
            string Cell(int i) => i >= 0 && i < cells.Length ? cells[i] : "";
            // A line with neither a date nor an amount (a wrapped description, a blank total line) is not a transaction.
            if (Cell(date).Length == 0 && Cell(amount).Length == 0 && Cell(debit).Length == 0 && Cell(credit).Length == 0)
            {
                result.SkippedLines.Add(new ImportError(line, "No date and no amount: not a transaction."));
                continue;
            }
            if (layout.HeaderLine > 0 ? record.Filled > width || cells.Length < needed : cells.Length < needed)
            {
                result.Errors.Add(new ImportError(line, $"Expected {width} columns, found {record.Filled}."));
                continue;
            }
            var cur = options.DefaultCurrency;
            if (currency >= 0 && Cell(currency).Length > 0 && !Currency.TryGet(Cell(currency), out cur))
            {
                result.Errors.Add(new ImportError(line, $"'{Cell(currency)}' is not a supported currency."));
                continue;
            }

            decimal value;
            bool? income = null;
            string? code = null;
            if (amount >= 0)
            {
                if (!StatementText.TryReadAmount(Cell(amount), decimalSeparator, out value, out code))
                {
                    result.Errors.Add(new ImportError(line, Cell(amount).Length == 0 ? "The amount is empty." : $"'{Cell(amount)}' is not an amount{(decimalSeparator == ',' ? " with a decimal comma" : "")}."));
                    continue;
                }
                // debitValue "" means an empty flag marks money going out (a card file flagging only credits with CR).
                if (direction >= 0) { income = !string.Equals(Cell(direction), m.DebitValue!.Trim(), StringComparison.OrdinalIgnoreCase); value = Math.Abs(value); }
            }
            else
            {
                decimal d = 0, c = 0;
                var dText = Cell(debit);
                var cText = Cell(credit);
                if (dText.Length > 0 && !StatementText.TryReadAmount(dText, decimalSeparator, out d, out code)) { result.Errors.Add(new ImportError(line, $"'{dText}' is not an amount.")); continue; }
                if (cText.Length > 0 && !StatementText.TryReadAmount(cText, decimalSeparator, out c, out code)) { result.Errors.Add(new ImportError(line, $"'{cText}' is not an amount.")); continue; }
                if (d != 0 && c != 0) { result.Errors.Add(new ImportError(line, "Both the debit and the credit column hold an amount.")); continue; }
                income = c != 0;
                value = c != 0 ? Math.Abs(c) : Math.Abs(d);
            }
            if (currency < 0 && code is not null && Currency.TryGet(code, out var written)) cur = written;
            if (!StatementText.TryReadDate(Cell(date), dateFormat, out var day))
            {
                result.Errors.Add(new ImportError(line, Cell(date).Length == 0 ? "The date is empty."
                    : $"'{Cell(date)}' is not a date{(dateFormat is null ? " (YYYY-MM-DD; choose another date format)" : $" in the format {m.DateFormat}")}."));
                continue;
            }
            parsed.Add((record, day, value, income, cur));
        }

        // "auto": a column with both signs is a bank account (negative is spending); one sign throughout is a list of spending.
        if (sign == SignModes.Auto)
            sign = parsed.Any(p => p.Income is null && p.Value < 0) && parsed.Any(p => p.Income is null && p.Value > 0) ? SignModes.NegativeIsSpending : SignModes.All;
        foreach (var (record, day, value, flagged, cur) in parsed)
        {
            string Cell(int i) => i >= 0 && i < record.Cells.Length ? record.Cells[i] : "";
            if (value == 0) { result.SkippedLines.Add(new ImportError(record.Line, "The amount is zero.")); continue; }
            var income = flagged ?? sign switch
            {
                SignModes.NegativeIsSpending => value > 0,
                SignModes.PositiveIsSpending => value < 0,
                _ => false,
            };
            if (!StatementText.TryMoney(value, cur, out var money, out var error, out var warning))
            {
                result.Errors.Add(new ImportError(record.Line, error));
                continue;
            }
            if (warning is not null) result.Warnings.Add(new ImportError(record.Line, warning));
            result.Rows.Add(new StatementRow(record.Line, day, money,
                payee >= 0 ? StatementText.Clean(Cell(payee), 200) : null,
                description >= 0 ? StatementText.Clean(Cell(description), 1000) : null,
                category >= 0 ? StatementText.Clean(Cell(category), 60) : null,
                externalId >= 0 ? StatementText.Clean(Cell(externalId), 200) : null,
                income));
        }
        result.Errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        result.SkippedLines.Sort((a, b) => a.Line.CompareTo(b.Line));
        return result;
    }
}
