namespace PayTrack.Domain;

/// <summary>
/// Exchange rates by pair and date, answering "how many units of <c>to</c> does one unit of <c>from</c>
/// buy on a date" with the latest rate on or before that date: directly, through the inverse pair,
/// or through one common currency. A missing rate is a missing rate: never 1.
/// </summary>
public sealed class RateTable
{
    private readonly Dictionary<(string Base, string Quote), List<(DateOnly Date, decimal Rate)>> _pairs = new();

    public void Add(string @base, string quote, DateOnly date, decimal rate)
    {
        if (rate <= 0) throw new ArgumentOutOfRangeException(nameof(rate), "A rate is positive.");
        if (!_pairs.TryGetValue((@base, quote), out var list)) _pairs[(@base, quote)] = list = [];
        var at = list.BinarySearch((date, 0m), DateComparer.Instance);
        if (at >= 0) list[at] = (date, rate);
        else list.Insert(~at, (date, rate));
    }

    public bool TryGetRate(string from, string to, DateOnly date, out decimal rate)
    {
        if (from == to) { rate = 1m; return true; }
        if (TryOneHop(from, to, date, out rate)) return true;
        // Through a common currency: every currency that has some pair with 'from', in a fixed order.
        foreach (var via in Neighbours(from).Order(StringComparer.Ordinal))
        {
            if (via == to) continue;
            if (TryOneHop(from, via, date, out var a) && TryOneHop(via, to, date, out var b))
            {
                rate = a * b;
                return true;
            }
        }
        rate = 0;
        return false;
    }

    private IEnumerable<string> Neighbours(string currency) =>
        _pairs.Keys.Select(k => k.Base == currency ? k.Quote : k.Quote == currency ? k.Base : null).OfType<string>().Distinct();

    private bool TryOneHop(string from, string to, DateOnly date, out decimal rate)
    {
        if (Latest(from, to, date) is { } direct) { rate = direct; return true; }
        if (Latest(to, from, date) is { } inverse) { rate = 1m / inverse; return true; }
        rate = 0;
        return false;
    }

    private decimal? Latest(string @base, string quote, DateOnly date)
    {
        if (!_pairs.TryGetValue((@base, quote), out var list)) return null;
        var at = list.BinarySearch((date, 0m), DateComparer.Instance);
        if (at >= 0) return list[at].Rate;
        var before = ~at - 1;
        return before >= 0 ? list[before].Rate : null;
    }

    /// <summary>
    /// Converts minor units of one currency into minor units of another at <paramref name="rate"/>,
    /// rounding half away from zero to the target's minor unit.
    /// </summary>
    public static long Convert(long minor, Currency from, Currency to, decimal rate)
    {
        var major = minor / (decimal)from.MinorPerMajor * rate;
        return (long)decimal.Round(major * to.MinorPerMajor, 0, MidpointRounding.AwayFromZero);
    }

    private sealed class DateComparer : IComparer<(DateOnly Date, decimal Rate)>
    {
        public static readonly DateComparer Instance = new();
        public int Compare((DateOnly Date, decimal Rate) x, (DateOnly Date, decimal Rate) y) => x.Date.CompareTo(y.Date);
    }
}
