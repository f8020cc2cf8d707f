#!/usr/bin/env python3
"""Writes expectations.json: what each statement fixture holds, read by a second, independent parser.

CSV files are read with Python's csv module and a per-file description written by hand after reading
the file (encoding, delimiter, header line, which column is what); OFX files with ofxparse (Debian's
python3-ofxparse); QIF files, which are tiny, are described by hand. Run it from this folder with
/usr/bin/python3 expect.py after adding a fixture; the C# corpus test compares PayTrack's reading with it.
"""
import csv, io, json, re
from datetime import datetime
from decimal import Decimal, InvalidOperation

# file: (encoding, delimiter, header line (1-based, 0 none), date column, strptime format, amount spec, decimal, mapping for PayTrack or None)
# amount spec: ("amount", col) | ("debitcredit", debit col, credit col) | ("flag", amount col, flag col, debit value)
CSV = {
    "de-n26.csv": ("utf-8", ",", 1, 0, "%Y-%m-%d", ("amount", 6), ".", None),
    "nl-bunq-2018.csv": ("utf-8", ",", 1, 0, "%Y-%m-%d", ("amount", 1), ",", None),
    "nl-bunq-2019.csv": ("utf-8", ",", 1, 0, "%Y-%m-%d", ("amount", 1), ",", None),
    "de-sparkasse-umsatz.csv": ("cp1252", ";", 1, 1, "%d.%m.%y", ("amount", 8), ",", None),
    "uk-generic-20180226.csv": ("utf-8", ",", 1, 0, "%d/%m/%Y", ("amount", 2), ".", None),
    "nl-rabobank.csv": ("cp1252", ",", 1, 4, "%Y-%m-%d", ("amount", 6), ",", None),
    "uk-marks-spencer-card.csv": ("utf-8-sig", ",", 1, 0, "%d-%b-%Y", ("flag", 2, 3, ""), ".", {"date": "Date Processed", "amount": "Amount", "payee": "Description", "direction": "Column 4", "debitValue": ""}),
    "uk-monzo.csv": ("utf-8", ",", 1, 1, "%Y-%m-%d %H:%M:%S %z", ("amount", 2), ".", None),
    "cz-raiffeisen.csv": ("cp1252", ";", 1, 0, "%d.%m.%Y", ("amount", 13), ",", {"date": "1", "amount": "14", "payee": "7", "description": "9", "currency": "15"}),
    # Anonymised: every date is 1111/11/11, which is no date PayTrack accepts (years 1900-2999), so the row is refused.
    "cz-ceska-sporitelna.csv": ("utf-8", ";", 1, 1, "%Y/%m/%d", ("amount", 2), ",", {"date": "Posting date", "amount": "Amount CZK", "payee": "Counteraccount name", "dateFormat": "YYYY/MM/DD"}),
    "au-nab.csv": ("utf-8", ",", 6, 0, "%d/%m/%Y", ("debitcredit", 3, 4), ".", None),
    "de-commerzbank.csv": ("utf-8", ";", 1, 0, "%d.%m.%Y", ("amount", 4), ",", None),
    "hu-erste.csv": ("utf-8", ",", 1, 0, "%Y.%m.%d.", ("amount", 6), ".", {"date": "1", "amount": "7", "payee": "14", "currency": "8"}),
    "sg-posb.csv": ("utf-8", ",", 0, 0, "%d %b %Y", ("amount", 2), ".", None),
    "be-kbc.csv": ("utf-8", ";", 1, 5, "%d/%m/%Y", ("amount", 8), ",", None),
    "be-kbc-mastercard.csv": ("utf-8", ";", 1, 3, "%d/%m/%Y", ("amount", 5), ",", None),
    "uk-statement.csv": ("utf-8", ",", 0, 0, "%d %b %y", ("amount", 6), ".", None),
    "ie-bank-of-ireland.csv": ("utf-8", ",", 1, 0, "%d/%m/%Y", ("debitcredit", 2, 3), ".", None),
    "at-raiffeisen-tab.csv": ("cp1252", "\t", 0, 0, "%d.%m.%Y", ("debitcredit", 4, 3), ",", {"headerLine": 0, "date": "1", "debit": "5", "credit": "4", "payee": "2"}),
    "at-raiffeisen-headers.csv": ("utf-8", ";", 1, 0, "%d.%m.%Y", ("amount", 3), ",", None),
    "at-raiffeisen.csv": ("utf-8", ";", 0, 0, "%d.%m.%Y", ("amount", 3), ",", None),
    "at-cd-flag.csv": ("utf-8", ";", 0, 0, "%d.%m.%Y", ("flag", 3, 4, "O"), ",", {"headerLine": 0, "date": "1", "amount": "4", "direction": "5", "debitValue": "O", "payee": "2"}),
    "at-debit-credit.csv": ("cp1252", ";", 0, 0, "%d.%m.%Y", ("debitcredit", 4, 3), ",", {"headerLine": 0, "date": "1", "debit": "5", "credit": "4", "payee": "2"}),
    "de-ostseesparkasse-card.csv": ("cp1252", ";", 1, 2, "%d.%m.%y", ("amount", 6), ",", {"date": "Buchungsdatum", "amount": "Buchungsbetrag", "payee": "Transaktionsbeschreibung"}),
    "at-raiffeisen-rcm.csv": ("utf-8", "|", 0, 2, "%Y%m%d", ("amount", 4), ".", {"headerLine": 0, "date": "3", "amount": "5", "payee": "4", "description": "2"}),
    "es-csb43.csv": ("utf-8", ",", 1, 23, "%Y-%m-%d", ("amount", 25), ".", None),
    "fr-sample-cp1252.csv": ("cp1252", ",", 1, 0, "%Y/%m/%d", ("amount", 2), ".", None),
    "us-paypal.csv": ("utf-8", ",", 1, 0, "%m/%d/%Y", ("amount", 7), ".", {"date": "Date", "amount": "Gross", "payee": "Name", "currency": "Currency", "dateFormat": "MM/DD/YYYY"}),
    "us-monefy.csv": ("utf-8", ",", 1, 0, "%d/%m/%Y", ("amount", 3), ".", None),
    "us-actual-payee-memo.csv": ("utf-8", ",", 1, 0, "%Y-%m-%d", ("amount", 1), ".", None),
}

# Read by hand: (rows, spending count, spending total, income count, income total, skipped, failed)
QIF = {
    "us-actual-categories.qif": (3, 3, "161.33", 0, "0", 0, 0),
    "us-actual-account-section.qif": (1, 1, "25.00", 0, "0", 0, 0),
    "us-actual-category-memo.qif": (2, 2, "120.73", 0, "0", 0, 0),
    "us-actual-payee-memo.qif": (4, 4, "100.00", 0, "0", 0, 0),
}

# OFX files ofxparse cannot read (every tag on one line, no CURDEF value), read by hand: (rows, spending count, total, income count, total)
OFX_BY_HAND = {
    "au-npbs-empty-tags.ofx": (1, 0, "0", 1, "12.34"),
}


def amount(text, dec):
    s = text.strip()
    if not s:
        return None
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1]
    s = re.sub(r"[A-Za-z$€£\s\u00a0]", "", s)
    if s.startswith("+"):
        s = s[1:]
    if s.startswith("-"):
        neg, s = not neg, s[1:]
    if s.endswith("-"):
        neg, s = not neg, s[:-1]
    group = "." if dec == "," else ","
    s = s.replace(group, "").replace(dec, ".")
    v = Decimal(s)
    return -v if neg else v


def read_csv(name, spec):
    enc, delim, header, dcol, dfmt, aspec, dec, _ = spec
    text = open(name, "rb").read().decode(enc, errors="replace")
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if any(c.strip() for c in r)]
    if header:
        # header line -> index of the record that starts on that physical line (files here have no quoted line breaks above it)
        rows = rows[header_index(text, header, delim):]
    parsed, failed, skipped = [], 0, 0
    for r in rows:
        cell = lambda i: r[i].strip() if i < len(r) else ""
        try:
            if aspec[0] == "amount":
                a = amount(cell(aspec[1]), dec)
                flag = None
            elif aspec[0] == "debitcredit":
                d, c = amount(cell(aspec[1]), dec), amount(cell(aspec[2]), dec)
                a = None if d is None and c is None else (abs(c) if c else abs(d or 0))
                flag = None if a is None else bool(c)
            else:
                a = amount(cell(aspec[1]), dec)
                a = None if a is None else abs(a)
                flag = None if a is None else cell(aspec[2]).lower() != aspec[3].lower()
        except InvalidOperation:
            failed += 1
            continue
        if a is None and not cell(dcol):
            skipped += 1
            continue
        if a is None:
            failed += 1
            continue
        try:
            if datetime.strptime(cell(dcol), dfmt).year < 1900:
                raise ValueError
        except ValueError:
            failed += 1
            continue
        parsed.append((a, flag))
    signed = [a for a, f in parsed if f is None]
    both = any(a < 0 for a in signed) and any(a > 0 for a in signed)
    out = {"spending": [0, Decimal(0)], "income": [0, Decimal(0)]}
    for a, f in parsed:
        if a == 0:
            skipped += 1
            continue
        income = f if f is not None else (both and a > 0)
        k = out["income" if income else "spending"]
        k[0] += 1
        k[1] += abs(a).quantize(Decimal("0.01"))
    return len(rows), out, skipped, failed


def header_index(text, header, delim):
    # count records (non-blank) that start before the header's physical line
    lines = text.splitlines()
    return sum(1 for l in lines[:header - 1] if l.strip().strip(delim).strip()) + 1


def main():
    result = {}
    for name, spec in CSV.items():
        rows, out, skipped, failed = read_csv(name, spec)
        result[name] = entry("csv", rows, out["spending"], out["income"], skipped, failed, spec[7])
    import ofxparse
    import glob
    for name in sorted(glob.glob("*.ofx") + glob.glob("*.qfx")):
        if name in OFX_BY_HAND:
            rows, sc, st, ic, it = OFX_BY_HAND[name]
            result[name] = entry("ofx", rows, [sc, Decimal(st)], [ic, Decimal(it)], 0, 0, None)
            continue
        with open(name, "rb") as f:
            ofx = ofxparse.OfxParser.parse(f)
        txs = [t for acct in ofx.accounts for t in acct.statement.transactions]
        spend = [abs(t.amount).quantize(Decimal("0.01")) for t in txs if t.amount < 0]
        inc = [t.amount.quantize(Decimal("0.01")) for t in txs if t.amount > 0]
        zero = sum(1 for t in txs if t.amount == 0)
        result[name] = entry("ofx", len(txs), [len(spend), sum(spend, Decimal(0))], [len(inc), sum(inc, Decimal(0))], zero, 0, None)
    for name, (rows, sc, st, ic, it, sk, fa) in QIF.items():
        result[name] = entry("qif", rows, [sc, Decimal(st)], [ic, Decimal(it)], sk, fa, None)
    with open("expectations.json", "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


def entry(fmt, rows, spending, income, skipped, failed, mapping):
    return {"format": fmt, "rows": rows, "spending": spending[0], "spendingTotal": str(spending[1]), "income": income[0],
            "incomeTotal": str(income[1]), "skipped": skipped, "failed": failed, "mapping": mapping}


if __name__ == "__main__":
    main()
