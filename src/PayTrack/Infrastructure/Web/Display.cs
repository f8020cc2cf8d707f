using System.Globalization;
using PayTrack.Domain;

namespace PayTrack.Infrastructure.Web;

/// <summary>How the UI shows money and dates: the reader's locale for separators, the currency's own symbol and minor digits.</summary>
public static class Display
{
    public static string Money(long minor, string currencyCode)
    {
        if (!Currency.TryGet(currencyCode, out var currency)) return $"{minor} {currencyCode}";
        return Money(new Money(minor, currency));
    }

    public static string Money(Money money)
    {
        var format = (NumberFormatInfo)CultureInfo.CurrentCulture.NumberFormat.Clone();
        format.CurrencySymbol = money.Currency.Symbol;
        format.CurrencyDecimalDigits = money.Currency.MinorDigits;
        return money.ToDecimal().ToString("C", format);
    }

    /// <summary>An API amount string ("12.34") in <paramref name="currencyCode"/>.</summary>
    public static string Amount(string amount, string currencyCode) =>
        Currency.TryGet(currencyCode, out var c) && Domain.Money.TryParse(amount, c, out var m, out _, allowZero: true, allowNegative: true)
            ? Money(m)
            : $"{amount} {currencyCode}";

    /// <summary><paramref name="a"/> − <paramref name="b"/> formatted, or null when they are equal (e.g. money on hold).</summary>
    public static string? AmountDifference(string a, string b, string currencyCode)
    {
        if (!Currency.TryGet(currencyCode, out var c)
            || !Domain.Money.TryParse(a, c, out var x, out _, allowZero: true, allowNegative: true)
            || !Domain.Money.TryParse(b, c, out var y, out _, allowZero: true, allowNegative: true)) return null;
        var d = x - y;
        return d.Minor == 0 ? null : Money(d);
    }

    /// <summary>True when an API amount string is zero ("0.00").</summary>
    public static bool IsZero(string amount) => decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d == 0;

    /// <summary>True when an API amount string is below zero.</summary>
    public static bool IsNegative(string amount) => amount.TrimStart().StartsWith('-');

    public static string Date(DateOnly date) => date.ToString("d", CultureInfo.CurrentCulture);
    public static string Date(DateTime utc) => utc.ToString("d", CultureInfo.CurrentCulture);
    public static string DateTime(DateTime utc) => utc.ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
