using System.Text.Json;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using PayTrack.Domain;

namespace PayTrack.Tests.Domain;

public sealed class MoneyTests
{
    private static readonly Currency[] Currencies = [Currency.Get("USD"), Currency.Get("JPY"), Currency.Get("BHD"), Currency.Get("EUR")];
    private static readonly Gen<Currency> AnyCurrency = Gen.Elements(Currencies);
    private static readonly Gen<long> AnyMinor = Gen.Choose(1, int.MaxValue).Select(i => (long)i * 1000 + i % 1000);

    [Fact]
    public void FormatThenParse_GivesBackTheSameAmount()
    {
        Prop.ForAll(AnyCurrency.ToArbitrary(), AnyMinor.ToArbitrary(), (currency, minor) =>
        {
            var money = new Money(minor, currency);
            var text = money.ToAmountString();
            Money.TryParse(text, currency, out var parsed, out var error).ShouldBeTrue(error);
            parsed.ShouldBe(money);
            (text.Contains('.') ? text.Split('.')[1].Length : 0).ShouldBe(currency.MinorDigits);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AdditionAndSubtraction_AreExactAndInverse()
    {
        Prop.ForAll(AnyCurrency.ToArbitrary(), AnyMinor.ToArbitrary(), AnyMinor.ToArbitrary(), (currency, a, b) =>
        {
            var x = new Money(a, currency);
            var y = new Money(b, currency);
            (x + y - y).ShouldBe(x);
            (x + y).ShouldBe(y + x);
            (x - x).Minor.ShouldBe(0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MixedCurrencies_AreRefused()
    {
        var usd = Money.FromMinor(100, "USD");
        var eur = Money.FromMinor(100, "EUR");
        Should.Throw<DomainException>(() => usd + eur).Slug.ShouldBe("currency-mismatch");
        Should.Throw<DomainException>(() => usd < eur);
    }

    [Theory]
    [InlineData("12.34", "USD", 1234)]
    [InlineData("12.3", "USD", 1230)]
    [InlineData("12", "USD", 1200)]
    [InlineData("0.01", "USD", 1)]
    [InlineData("1200", "JPY", 1200)]
    [InlineData("1.234", "BHD", 1234)]
    [InlineData("12.340", "USD", 1234)]
    [InlineData("007.50", "USD", 750)]
    public void TryParse_Accepts(string text, string code, long minor)
    {
        Money.TryParse(text, Currency.Get(code), out var m, out var error).ShouldBeTrue(error);
        m.Minor.ShouldBe(minor);
    }

    [Theory]
    [InlineData("12.345", "USD")]
    [InlineData("1.5", "JPY")]
    [InlineData("1.2345", "BHD")]
    [InlineData("0", "USD")]
    [InlineData("-5", "USD")]
    [InlineData("abc", "USD")]
    [InlineData("", "USD")]
    [InlineData("NaN", "USD")]
    [InlineData("1000000000000000", "USD")]
    // Plain decimal notation only (issue: "1e5" became 100000.00; spaces, signs and bare points were accepted).
    [InlineData("1e2", "USD")]
    [InlineData("1E5", "USD")]
    [InlineData(" 1.00 ", "USD")]
    [InlineData("1.00 ", "USD")]
    [InlineData("+1.00", "USD")]
    [InlineData("1.", "USD")]
    [InlineData(".5", "USD")]
    [InlineData("1,00", "USD")]
    [InlineData("1 000", "USD")]
    [InlineData("1.2.3", "USD")]
    [InlineData("0x10", "USD")]
    [InlineData("\uFF11\uFF12", "USD")]
    [InlineData("99999999999999999999999999999999999999", "USD")]
    public void TryParse_Refuses(string text, string code)
    {
        Money.TryParse(text, Currency.Get(code), out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrEmpty();
    }

    private sealed record Body([property: JsonConverter(typeof(AmountTextConverter))] string? Amount);

    [Theory]
    [InlineData("""{"amount": 12.34}""", "12.34")]
    [InlineData("""{"amount": "12.34"}""", "12.34")]
    [InlineData("""{"amount": 0.1}""", "0.1")]
    [InlineData("""{"amount": 123456789012.12}""", "123456789012.12")]
    [InlineData("""{"amount": null}""", null)]
    public void AmountJson_KeepsTheExactDigitsSent(string json, string? expected) =>
        JsonSerializer.Deserialize<Body>(json, JsonSerializerOptions.Web)!.Amount.ShouldBe(expected);

    [Fact]
    public void AmountJson_RefusesOtherTokens() =>
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Body>("""{"amount": true}""", JsonSerializerOptions.Web));
}
