using PayTrack.Domain;

namespace PayTrack.Tests.Domain;

public sealed class CurrencyTests
{
    [Theory]
    [InlineData("USD", 2)]
    [InlineData("eur", 2)]
    [InlineData("JPY", 0)]
    [InlineData(" bhd ", 3)]
    public void Get_KnowsMinorDigits(string code, int digits) => Currency.Get(code).MinorDigits.ShouldBe(digits);

    [Theory]
    [InlineData("XXX")]
    [InlineData("")]
    [InlineData("US")]
    public void Get_WhenUnknown_Throws400(string code) => Should.Throw<DomainException>(() => Currency.Get(code)).Status.ShouldBe(400);
}
