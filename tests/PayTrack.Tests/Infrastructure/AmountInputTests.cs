using PayTrack.Infrastructure.Web;

namespace PayTrack.Tests.Infrastructure;

public sealed class AmountInputTests
{
    [Theory]
    [InlineData("19,99", ".", "19.99")]
    [InlineData("19,99", ",", "19.99")]
    [InlineData("19.99", ",", "19.99")]
    [InlineData("1.234,56", ",", "1234.56")]
    [InlineData("1,234.56", ".", "1234.56")]
    [InlineData("1 234,56", ",", "1234.56")]
    [InlineData("1,234", ".", "1234")]
    [InlineData("1.234", ",", "1234")]
    [InlineData("1,234", ",", "1.234")]
    [InlineData("12.345", ".", "12.345")]
    [InlineData("1.234.567", ".", "1234567")]
    [InlineData(" 42 ", ".", "42")]
    [InlineData("abc", ".", "abc")]
    [InlineData("-3,5", ",", "-3.5")]
    public void Normalize_ReadsTheReadersSeparators(string typed, string decimalSeparator, string expected) =>
        AmountInput.Normalize(typed, decimalSeparator).ShouldBe(expected);
}
