using PayTrack.Domain;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// First guesses for a CSV mapping, from header names in English, German, French, Dutch, Spanish,
/// Italian and Portuguese, checked against the values below them; and the date format and decimal
/// separator those values use. A person confirms or changes them in the import wizard.
/// </summary>
public static class CsvGuess
{
    private static readonly string[] DateNames =
    [
        "date", "transaction date", "booking date", "posting date", "posted date", "date posted", "trans date", "trans. date", "completed date",
        "started date", "buchungstag", "buchungsdatum", "datum", "date opération", "date operation", "date de l'opération", "date comptable",
        "boekdatum", "transactiedatum", "fecha", "fecha operación", "fecha operacion", "fecha contable", "data", "data operazione",
        "data contabile", "data movimento", "data lançamento", "data lancamento", "data da transação", "dato", "transaction_date", "posted_date",
    ];
    private static readonly string[] DateParts = ["date", "datum", "fecha", "data", "buchungstag", "valuta", "wertstellung"];
    private static readonly string[] AmountNames =
    [
        "amount", "betrag", "umsatz", "montant", "bedrag", "importe", "importo", "valor", "valore", "monto", "transaction amount",
        "amount (eur)", "betrag (eur)", "bedrag (eur)", "betrag (€)", "montant (eur)", "importe (eur)", "summe", "value", "net amount", "quantia", "beløb", "belopp",
    ];
    private static readonly string[] AmountParts = ["amount", "betrag", "montant", "bedrag", "importe", "importo", "valor", "monto", "umsatz"];
    private static readonly string[] DebitNames =
    [
        "debit", "debit amount", "debits", "withdrawal", "withdrawals", "paid out", "money out", "out", "outflow", "soll", "ausgang", "ausgaben",
        "belastung", "débit", "debit eur", "cargo", "cargos", "addebiti", "addebito", "uscite", "débito", "debito", "saída", "saídas", "saida", "spent",
    ];
    private static readonly string[] DebitParts = ["debit", "débit", "débito", "withdraw", "paid out", "money out", "soll", "addebit", "cargo", "uscit", "saída"];
    private static readonly string[] CreditNames =
    [
        "credit", "credit amount", "credits", "deposit", "deposits", "paid in", "money in", "in", "inflow", "haben", "eingang", "einnahmen",
        "gutschrift", "crédit", "cargo/abono", "abono", "abonos", "accrediti", "accredito", "entrate", "crédito", "credito", "entrada", "entradas", "received",
    ];
    private static readonly string[] CreditParts = ["credit", "crédit", "crédito", "deposit", "paid in", "money in", "haben", "accredit", "abono", "entrat", "entrada"];
    private static readonly string[] DirectionNames =
    [
        "af bij", "af/bij", "debit/credit", "credit/debit", "cr/dr", "dr/cr", "d/c", "c/d", "soll/haben", "s/h", "credit debit indicator",
        "debit credit", "indicator", "transaction type", "type", "typ", "sens", "tipo", "segno",
    ];
    private static readonly string[] DebitTokens = ["d", "dr", "debit", "débit", "af", "s", "soll", "dbit", "-", "debito", "débito", "addebito", "cargo", "withdrawal", "out"];
    private static readonly string[] PayeeNames =
    [
        "payee", "name", "payee name", "merchant", "merchant name", "counterparty", "counter party", "counterparty name", "beneficiary", "recipient",
        "empfänger", "auftraggeber / empfänger", "auftraggeber/empfänger", "beguenstigter/zahlungspflichtiger", "begünstigter / auftraggeber",
        "zahlungsempfänger", "name zahlungsbeteiligter", "zahlungspflichtiger", "bénéficiaire", "tiers", "naam / omschrijving", "naam tegenpartij",
        "tegenpartij", "naam", "beneficiario", "ordenante", "destinatario", "beneficiário", "favorecido", "nome",
    ];
    private static readonly string[] PayeeParts = ["payee", "empfänger", "beguenstigter", "begünstigter", "merchant", "beneficiar", "counterpart", "naam", "name", "tegenpartij"];
    private static readonly string[] DescriptionNames =
    [
        "description", "memo", "details", "reference", "narrative", "notes", "note", "transaction details", "verwendungszweck", "buchungstext",
        "vorgang/verwendungszweck", "text", "libellé", "libelle", "libellé opération", "communication", "détail", "omschrijving", "mededelingen",
        "concepto", "descripción", "descripcion", "causale", "descrizione", "histórico", "historico", "descrição", "descricao", "particulars",
    ];
    private static readonly string[] DescriptionParts = ["descri", "memo", "verwendungszweck", "libell", "omschrijving", "mededeling", "concepto", "causale", "detail", "reference", "referenz", "buchungstext"];
    private static readonly string[] CategoryNames = ["category", "kategorie", "catégorie", "categorie", "categoría", "categoria"];
    private static readonly string[] CurrencyNames = ["currency", "währung", "waehrung", "devise", "divisa", "moneda", "moeda", "valuta", "munt", "ccy", "curr"];
    private static readonly string[] IdNames = ["transaction id", "id", "fitid", "transaction reference", "transaktions-id", "transactie-id"];

    /// <summary>Date formats tried, in order of preference when several read every sample.</summary>
    public static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "d.M.yyyy", "d/M/yyyy", "M/d/yyyy", "d-M-yyyy", "M-d-yyyy", "yyyy/M/d", "yyyyMMdd", "d.M.yy", "d/M/yy", "M/d/yy", "d-M-yy",
        "d-MMM-yyyy", "d MMM yyyy", "d-MMM-yy", "d MMM yy", "MMM d, yyyy", "d. MMM yyyy", "yyyy.MM.dd", "yyyy.MM.dd.", "yyyy-MM-ddTHH:mm:ss",
    ];

    public sealed record Guess(CsvMapping Mapping, string? Ambiguity);

    public static Guess Columns(CsvLayout layout)
    {
        var names = layout.Columns.Select(Normalize).ToList();
        var sample = layout.Records.Take(500).ToList();
        string[] Values(int i) => [.. sample.Where(r => i < r.Cells.Length && r.Cells[i].Length > 0).Select(r => r.Cells[i])];
        var used = new HashSet<int>();
        var dateFormats = new Dictionary<int, string?>();

        bool IsDates(int i)
        {
            var v = Values(i);
            if (v.Length == 0) return false;
            if (!dateFormats.ContainsKey(i)) dateFormats[i] = DateFormat(v, out _);
            return dateFormats[i] is not null;
        }
        bool IsAmounts(int i)
        {
            var v = Values(i);
            if (v.Length == 0) return false;
            var sep = DecimalSeparator(v);
            return v.Count(x => StatementText.TryReadAmount(x, sep, out _)) >= Math.Max(1, v.Length * 9 / 10);
        }
        bool IsAmountsOrEmpty(int i) => Values(i).Length == 0 || IsAmounts(i);
        bool HasBothSigns(int i)
        {
            var v = Values(i);
            var sep = DecimalSeparator(v);
            var signs = v.Select(x => StatementText.TryReadAmount(x, sep, out var a) ? Math.Sign(a) : 0).ToHashSet();
            return signs.Contains(-1) && signs.Contains(1);
        }

        int Find(string[] exact, string[] parts, Func<int, bool> check)
        {
            for (var pass = 0; pass < 2; pass++)
                foreach (var word in pass == 0 ? exact : parts)
                    for (var i = 0; i < names.Count; i++)
                    {
                        if (used.Contains(i)) continue;
                        var hit = pass == 0 ? names[i] == word : names[i].Contains(word, StringComparison.Ordinal);
                        if (hit && check(i)) { used.Add(i); return i; }
                    }
            return -1;
        }

        var date = Find(DateNames, DateParts, IsDates);
        if (date < 0)
            for (var i = 0; i < names.Count && date < 0; i++)
                if (!used.Contains(i) && IsDates(i)) { date = i; used.Add(i); }
        // An exact amount name wins; then a debit and a credit column ("Debit Amount", "Credit Amount"); then any amount-like name.
        var amount = Find(AmountNames, [], IsAmounts);
        int debit = -1, credit = -1, direction = -1;
        string? debitValue = null;
        if (amount < 0)
        {
            debit = Find(DebitNames, DebitParts, IsAmountsOrEmpty);
            credit = debit < 0 ? -1 : Find(CreditNames, CreditParts, IsAmountsOrEmpty);
            if (credit < 0 && debit >= 0) { used.Remove(debit); debit = -1; }
            if (debit < 0) amount = Find(AmountNames, AmountParts, IsAmounts);
            // A lone "Inflow" or "Withdrawals" column holding both signs is a signed amount column; with one
            // sign it could be either direction, so it is left for the person to name.
            if (amount < 0 && debit < 0)
                amount = Find([.. DebitNames, .. CreditNames], [.. DebitParts, .. CreditParts], i => IsAmounts(i) && HasBothSigns(i));
        }
        if (amount >= 0)
        {
            direction = Find(DirectionNames, [], i =>
            {
                var distinct = Values(i).Select(v => v.ToLowerInvariant()).Distinct().ToList();
                return distinct.Count is >= 1 and <= 3 && distinct.Any(v => DebitTokens.Contains(v));
            });
            if (direction >= 0) debitValue = Values(direction).FirstOrDefault(v => DebitTokens.Contains(v.ToLowerInvariant()));
            // An unnamed column holding only CR (card statements flag refunds and payments so): empty means debit.
            if (direction < 0)
                for (var i = 0; i < names.Count && direction < 0; i++)
                    if (!used.Contains(i) && layout.Columns[i] == $"Column {i + 1}" && Values(i) is { Length: > 0 } v
                        && v.All(x => x.Equals("CR", StringComparison.OrdinalIgnoreCase)))
                    { direction = i; debitValue = ""; used.Add(i); }
        }
        if (amount < 0 && debit < 0)
            for (var i = 0; i < names.Count && amount < 0; i++)
                if (!used.Contains(i) && Values(i) is { Length: > 0 } v && v.All(x => x.Contains('.') || x.Contains(',')) && IsAmounts(i)) { amount = i; used.Add(i); }

        var payee = Find(PayeeNames, PayeeParts, _ => true);
        var description = Find(DescriptionNames, DescriptionParts, _ => true);
        if (payee < 0 && description >= 0) (payee, description) = (description, -1);
        // No name to go by (no header): the first column of text is the payee.
        if (payee < 0)
            for (var i = 0; i < names.Count && payee < 0; i++)
                if (!used.Contains(i) && Values(i) is { Length: > 0 } v && v.Count(x => !CsvLayout.LooksLikeValue(x)) >= Math.Max(1, v.Length * 4 / 5)) { payee = i; used.Add(i); }
        var category = Find(CategoryNames, ["categor", "kategor"], _ => true);
        var currency = Find(CurrencyNames, ["currency", "währung", "devise", "divisa"], i => Values(i) is { Length: > 0 } v && v.All(x => Currency.TryGet(x, out _)));
        var id = Find(IdNames, [], i => Values(i) is { Length: > 1 } v && v.Distinct().Count() == v.Length);

        string? format = null, ambiguity = null;
        if (date >= 0) format = DateFormat(Values(date), out ambiguity);
        var amountValues = new[] { amount, debit, credit }.Where(i => i >= 0).SelectMany(Values).ToList();
        var decimalSeparator = DecimalSeparator(amountValues);
        string? Name(int i) => i < 0 ? null : layout.Columns[i];
        var mapping = new CsvMapping(Name(date), Name(amount), Name(payee), Name(description), Name(category), Name(currency),
            format, decimalSeparator.ToString(), Name(id), layout.HeaderLine, null, CsvRecords.Name(layout.Delimiter),
            Name(debit), Name(credit), Name(direction), debitValue, SignModes.Auto);
        return new(mapping, ambiguity);
    }

    private static string Normalize(string name) => string.Join(' ', name.Trim().Trim('"', '\'').ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// The format that reads the most values (at least 80%: a few bad dates are the rows' errors, not a
    /// reason to miss the column), the earlier in <see cref="DateFormats"/> on a tie; <paramref name="ambiguity"/>
    /// names a day-first/month-first tie.
    /// </summary>
    public static string? DateFormat(IReadOnlyList<string> values, out string? ambiguity)
    {
        ambiguity = null;
        if (values.Count == 0) return null;
        var counts = DateFormats.Select(f => (Format: f, Count: values.Count(v => StatementText.TryReadDate(v, f, out _)))).ToList();
        var best = counts.MaxBy(c => c.Count);
        if (best.Count == 0 || best.Count < values.Count * 4 / 5) return null;
        var first = best.Format;
        var swapped = first.Contains("d/M", StringComparison.Ordinal) ? first.Replace("d/M", "M/d", StringComparison.Ordinal)
            : first.Contains("d-M-", StringComparison.Ordinal) ? first.Replace("d-M-", "M-d-", StringComparison.Ordinal) : null;
        if (swapped is not null && counts.Single(c => c.Format == swapped).Count == best.Count)
            ambiguity = $"Every date here reads both day-first and month-first; they were read as {first}. Choose the other order if that is wrong.";
        return first;
    }

    /// <summary>',' when the values end in a comma and one or two digits ("12,50", "1.234,5"), else '.'.</summary>
    public static char DecimalSeparator(IEnumerable<string> values)
    {
        int comma = 0, point = 0;
        foreach (var raw in values)
        {
            var v = raw.AsSpan().TrimEnd(" €$£¥-)ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").TrimEnd();
            var lastComma = v.LastIndexOf(',');
            var lastPoint = v.LastIndexOf('.');
            if (lastComma > lastPoint && (v.Length - lastComma - 1 != 3 || lastPoint >= 0)) comma++;
            else if (lastPoint > lastComma && (v.Length - lastPoint - 1 != 3 || lastComma >= 0)) point++;
        }
        return comma > point ? ',' : '.';
    }

}
