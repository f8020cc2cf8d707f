using System.Collections.Frozen;

namespace PayTrack.Domain;

/// <summary>An ISO 4217 currency with the number of minor digits its amounts may carry.</summary>
public sealed record Currency
{
    private Currency(string code, int minorDigits, string symbol)
    {
        Code = code;
        MinorDigits = minorDigits;
        Symbol = symbol;
    }

    public string Code { get; }
    public int MinorDigits { get; }
    public string Symbol { get; }

    /// <summary>10^MinorDigits: how many minor units make one major unit.</summary>
    public long MinorPerMajor => MinorDigits switch { 0 => 1, 1 => 10, 2 => 100, 3 => 1000, _ => 10000 };

    public override string ToString() => Code;

    private static readonly FrozenDictionary<string, Currency> All = new[]
    {
        C("USD", 2, "$"), C("EUR", 2, "€"), C("GBP", 2, "£"), C("JPY", 0, "¥"), C("CHF", 2, "CHF"),
        C("CAD", 2, "CA$"), C("AUD", 2, "A$"), C("NZD", 2, "NZ$"), C("CNY", 2, "CN¥"), C("HKD", 2, "HK$"),
        C("SGD", 2, "S$"), C("SEK", 2, "kr"), C("NOK", 2, "kr"), C("DKK", 2, "kr"), C("PLN", 2, "zł"),
        C("CZK", 2, "Kč"), C("HUF", 2, "Ft"), C("RON", 2, "lei"), C("BGN", 2, "лв"), C("TRY", 2, "₺"),
        C("INR", 2, "₹"), C("BRL", 2, "R$"), C("MXN", 2, "MX$"), C("ZAR", 2, "R"), C("KRW", 0, "₩"),
        C("ISK", 0, "kr"), C("CLP", 0, "CLP$"), C("VND", 0, "₫"), C("IDR", 2, "Rp"), C("ILS", 2, "₪"),
        C("AED", 2, "AED"), C("SAR", 2, "SAR"), C("THB", 2, "฿"), C("MYR", 2, "RM"), C("PHP", 2, "₱"),
        C("BHD", 3, "BHD"), C("KWD", 3, "KWD"), C("OMR", 3, "OMR"), C("JOD", 3, "JOD"), C("TND", 3, "TND"),
        C("UAH", 2, "₴"), C("EGP", 2, "E£"), C("NGN", 2, "₦"), C("KES", 2, "KSh"), C("ARS", 2, "AR$"),
        C("COP", 2, "COL$"), C("PEN", 2, "S/"), C("TWD", 2, "NT$"), C("PKR", 2, "Rs"), C("MAD", 2, "MAD"),
    }.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);

    private static Currency C(string code, int digits, string symbol) => new(code, digits, symbol);

    public static IEnumerable<Currency> Supported => All.Values.OrderBy(c => c.Code, StringComparer.Ordinal);

    public static bool TryGet(string? code, out Currency currency)
    {
        if (code is not null && All.TryGetValue(code.Trim().ToUpperInvariant(), out var found))
        {
            currency = found;
            return true;
        }
        currency = null!;
        return false;
    }

    public static Currency Get(string code) =>
        TryGet(code, out var c) ? c : throw new DomainException("unknown-currency", $"'{code}' is not a supported ISO 4217 currency code.", 400);

    public static bool IsSupported(string? code) => TryGet(code, out _);
}
