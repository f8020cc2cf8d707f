using PayTrack.Domain;

namespace PayTrack.Tests.Domain;

public sealed class RateTableTests
{
    private static DateOnly D(int m, int d) => new(2026, m, d);

    [Fact]
    public void UsesTheLatestRateOnOrBeforeTheDate_AndNothingBeforeTheFirst()
    {
        var t = new RateTable();
        t.Add("EUR", "USD", D(3, 1), 1.10m);
        t.Add("EUR", "USD", D(3, 10), 1.20m);
        t.TryGetRate("EUR", "USD", D(2, 28), out _).ShouldBeFalse();
        t.TryGetRate("EUR", "USD", D(3, 1), out var r).ShouldBeTrue(); r.ShouldBe(1.10m);
        t.TryGetRate("EUR", "USD", D(3, 9), out r).ShouldBeTrue(); r.ShouldBe(1.10m);
        t.TryGetRate("EUR", "USD", D(3, 10), out r).ShouldBeTrue(); r.ShouldBe(1.20m);
        t.TryGetRate("EUR", "USD", D(12, 31), out r).ShouldBeTrue(); r.ShouldBe(1.20m);
    }

    [Fact]
    public void UsesTheInverse_AndOneCommonCurrency_ButNeverOne()
    {
        var t = new RateTable();
        t.Add("USD", "JPY", D(1, 1), 150m);
        t.Add("GBP", "USD", D(1, 1), 1.25m);
        t.TryGetRate("JPY", "USD", D(2, 1), out var r).ShouldBeTrue(); r.ShouldBe(1m / 150m);
        t.TryGetRate("GBP", "JPY", D(2, 1), out r).ShouldBeTrue(); r.ShouldBe(1.25m * 150m);
        t.TryGetRate("JPY", "GBP", D(2, 1), out r).ShouldBeTrue(); r.ShouldBe(1m / 150m * (1m / 1.25m));
        t.TryGetRate("EUR", "USD", D(2, 1), out _).ShouldBeFalse();
        t.TryGetRate("EUR", "EUR", D(2, 1), out r).ShouldBeTrue(); r.ShouldBe(1m);
    }

    [Theory]
    [InlineData(1234, "USD", "JPY", "150", 1851)]     // 12.34 USD = 1851 JPY (1851.0)
    [InlineData(1, "JPY", "USD", "0.005", 1)]        // 0.005 USD rounds half away from zero to 0.01
    [InlineData(1000, "USD", "BHD", "0.376", 3760)]  // 10.00 USD = 3.760 BHD
    [InlineData(3333, "EUR", "USD", "1.5", 5000)]    // 49.995 -> 50.00
    public void Convert_RoundsToTheTargetsMinorUnit_HalfAwayFromZero(long minor, string from, string to, string rate, long expected) =>
        RateTable.Convert(minor, Currency.Get(from), Currency.Get(to), decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected);
}
