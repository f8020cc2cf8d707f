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
    [InlineData("1,23,456.78", ".", "123456.78")] // India: lakh and crore
    [InlineData("12,34,56,789", ".", "123456789")]
    [InlineData("1'234.50", ".", "1234.50")] // Switzerland
    public void Normalize_ReadsTheReadersSeparators(string typed, string decimalSeparator, string expected) =>
        AmountInput.Normalize(typed, decimalSeparator).ShouldBe(expected);

    /// <summary>A typo is never read as another amount: the text goes on unchanged and the use case refuses it.</summary>
    [Theory]
    [InlineData("12..5", ".")]
    [InlineData("1,2.5", ".")]
    [InlineData("12,34,5", ".")]
    [InlineData("1 2", ".")]
    [InlineData("1.5.", ",")]
    [InlineData("1.234,5 6", ",")]
    public void Normalize_WhenTheGroupingIsMalformed_LeavesTheTextForTheUseCaseToRefuse(string typed, string decimalSeparator) =>
        AmountInput.Normalize(typed, decimalSeparator).ShouldBe(typed);
}
