using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PayTrack.Domain;

/// <summary>
/// An exact amount: whole minor units (cents, yen, fils) of one currency. Arithmetic refuses to mix
/// currencies; there is no binary floating point anywhere on the way in or out.
/// </summary>
public readonly record struct Money(long Minor, Currency Currency)
{
    /// <summary>Largest amount accepted from a client: 10^15 major units keeps every sum far from long overflow.</summary>
    public const decimal MaxMajor = 1_000_000_000_000_000m;

    public static Money Zero(Currency currency) => new(0, currency);

    public static Money operator +(Money a, Money b) => new(checked(a.Minor + b.Minor), Same(a, b));
    public static Money operator -(Money a, Money b) => new(checked(a.Minor - b.Minor), Same(a, b));
    public static Money operator -(Money a) => a with { Minor = checked(-a.Minor) };
    public static bool operator <(Money a, Money b) => a.CompareTo(b) < 0;
    public static bool operator >(Money a, Money b) => a.CompareTo(b) > 0;
    public static bool operator <=(Money a, Money b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Money a, Money b) => a.CompareTo(b) >= 0;

    public Money Add(Money other) => this + other;
    public Money Subtract(Money other) => this - other;
    public Money Negate() => -this;
    /// <summary>Orders two amounts of the same currency; throws on mixed currencies.</summary>
    public int CompareTo(Money other)
    {
        Same(this, other);
        return Minor.CompareTo(other.Minor);
    }

    public bool IsPositive => Minor > 0;
    public bool IsNegative => Minor < 0;

    /// <summary>The amount in major units, exactly.</summary>
    public decimal ToDecimal() => (decimal)Minor / Currency.MinorPerMajor;

    /// <summary>"12.34", "1200" (JPY), "1.234" (BHD): always exactly the currency's minor digits.</summary>
    public string ToAmountString() => ToDecimal().ToString("F" + Currency.MinorDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public override string ToString() => $"{ToAmountString()} {Currency.Code}";

    private static Currency Same(Money a, Money b) =>
        a.Currency.Code == b.Currency.Code
            ? a.Currency
            : throw new DomainException("currency-mismatch", $"Cannot combine {a.Currency.Code} and {b.Currency.Code} amounts.");

    public static Money FromMinor(long minor, string currencyCode) => new(minor, Currency.Get(currencyCode));

    /// <summary>One or more digits, optionally followed by a point and one or more digits; at most 40 characters.</summary>
    public static bool IsPlainDecimal(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > 40) return false;
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == 0) return false;
        if (i == s.Length) return true;
        if (s[i] != '.' || i == s.Length - 1) return false;
        for (i++; i < s.Length; i++) if (!char.IsAsciiDigit(s[i])) return false;
        return true;
    }

    /// <summary>
    /// Parses a client's amount: a plain decimal with no more decimals than the currency allows.
    /// Answers an error message instead of throwing, for field-level validation.
    /// </summary>
    public static bool TryParse(string? text, Currency currency, out Money money, out string error, bool allowZero = false, bool allowNegative = false)
    {
        money = default;
        error = "";
        if (string.IsNullOrEmpty(text)) { error = "amount is required."; return false; }
        // Plain decimal notation only: digits with at most one decimal point between digits. No exponent, no '+',
        // no spaces, no thousands separators: "1e5" or " 1.00 " is refused rather than guessed at.
        var negative = text[0] == '-';
        if (!IsPlainDecimal(negative ? text.AsSpan(1) : text.AsSpan()))
        {
            error = "amount must be a plain number such as 12.34 (no spaces, signs, exponents or thousands separators).";
            return false;
        }
        if (negative && !allowNegative) { error = "amount must be positive."; return false; }
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            error = "amount is too large.";
            return false;
        }
        if (value.Scale > currency.MinorDigits && decimal.Round(value, currency.MinorDigits) != value)
        {
            error = currency.MinorDigits == 0
                ? $"{currency.Code} amounts have no decimals."
                : $"{currency.Code} amounts have at most {currency.MinorDigits} decimals.";
            return false;
        }
        if (value == 0 && !allowZero) { error = "amount must be greater than zero."; return false; }
        if (value < 0 && !allowNegative) { error = "amount must be positive."; return false; }
        if (Math.Abs(value) >= MaxMajor) { error = "amount is too large."; return false; }
        money = new Money((long)(value * currency.MinorPerMajor), currency);
        return true;
    }
}

/// <summary>
/// Reads an amount sent as a JSON number or string into its exact text (never through double);
/// writes it back as a string.
/// </summary>
public sealed class AmountTextConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
        _ => throw new JsonException("An amount must be a JSON number or a string such as \"12.34\"."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
