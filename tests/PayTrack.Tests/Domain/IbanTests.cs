using FsCheck;
using FsCheck.Fluent;
using PayTrack.Domain;

namespace PayTrack.Tests.Domain;

public sealed class IbanTests
{
    // Example IBANs as banks and registries publish them, from several countries and lengths.
    private static readonly string[] Published =
    [
        "GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606", "NL91 ABNA 0417 1643 00",
        "BE68 5390 0754 7034", "CH93 0076 2011 6238 5295 7", "PL61 1090 1014 0000 0712 1981 2874", "NO93 8601 1117 947",
        "MT84 MALT 0110 0001 2345 MTLC AST0 01S", "SA03 8000 0000 6080 1016 7519", "es91-2100-0418-4502-0005-1332",
    ];

    public static IEnumerable<object[]> Valid => Published.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Valid))]
    public void PublishedIbans_AreRecognisedAndValid(string text)
    {
        var candidate = Iban.Candidate(text).ShouldNotBeNull();
        Iban.HasValidCheckDigits(candidate).ShouldBeTrue();
    }

    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 33")] // last digit
    [InlineData("DE89 3704 0044 0532 0130 01")]
    [InlineData("DE98 3704 0044 0532 0130 00")] // check digits swapped
    [InlineData("NL91 ABNA 0417 1643 01")]
    public void MistypedIbans_FailTheCheck(string text) =>
        Iban.HasValidCheckDigits(Iban.Candidate(text).ShouldNotBeNull()).ShouldBeFalse();

    [Theory]
    [InlineData("My savings account at Example Bank")]
    [InlineData("IBAN DE00 1234")]
    [InlineData("sandbox:decline")]
    [InlineData("US12 3456 7890 1234 5678")] // no IBANs in the US: an account number, not checked
    [InlineData("GB82")]
    [InlineData("")]
    [InlineData(null)]
    public void OtherDestinations_AreNotIbans(string? text) => Iban.Candidate(text).ShouldBeNull();

    [Fact]
    public void AnySingleCharacterChange_OfAValidIban_IsCaught()
    {
        var ibans = Published.Select(p => Iban.Candidate(p)!).ToArray();
        var changes =
            from iban in Gen.Elements(ibans)
            from at in Gen.Choose(0, iban.Length - 1)
            from c in Gen.Elements("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray())
            where c != iban[at] && char.IsAsciiDigit(c) == char.IsAsciiDigit(iban[at]) // a digit mistyped as a digit, a letter as a letter
            select iban[..at] + c + iban[(at + 1)..];
        // Either changes the number by (difference of the two values, under 36) × a power of ten, never a multiple of the prime 97.
        Prop.ForAll(changes.ToArbitrary(), changed => !Iban.HasValidCheckDigits(changed)).QuickCheckThrowOnFailure();
    }
}
