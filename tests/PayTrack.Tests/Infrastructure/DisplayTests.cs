using System.Globalization;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Tests.Infrastructure;

public sealed class DisplayTests
{
    private static string In(string culture, Func<string> format)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo(culture);
        try { return format(); }
        finally { CultureInfo.CurrentCulture = before; }
    }

    [Theory]
    [InlineData("en-US", 123456, "USD", "$1,234.56")]
    [InlineData("en-US", 1234, "JPY", "¥1,234")]
    [InlineData("en-US", 1234567, "BHD", "BHD1,234.567")]
    [InlineData("de-DE", 123456, "EUR", "1.234,56 €")]
    [InlineData("de-DE", -500, "GBP", "-5,00 £")]
    public void Money_UsesTheCurrencysDigitsAndSymbol_AndTheReadersSeparators(string culture, long minor, string currency, string expected) =>
        In(culture, () => Display.Money(minor, currency)).Replace('\u00A0', ' ').ShouldBe(expected);

    [Fact]
    public void Amount_FromApiText_IsExact()
    {
        In("en-US", () => Display.Amount("0.10", "USD")).ShouldBe("$0.10");
        In("en-US", () => Display.Amount("not a number", "USD")).ShouldBe("not a number USD");
    }

    [Fact]
    public void Date_FollowsTheLocale()
    {
        var d = new DateOnly(2026, 3, 9);
        In("en-US", () => Display.Date(d)).ShouldBe("3/9/2026");
        In("de-DE", () => Display.Date(d)).ShouldBe("09.03.2026");
        In("en-GB", () => Display.Date(d)).ShouldBe("09/03/2026");
    }
}
