namespace PayTrack.Features.Reports;

/// <summary>
/// What the "left out" notice next to a converted total needs: the amounts without a rate and the
/// total's currency. Every total that skips something says so where the total is, with a link to fix it.
/// </summary>
public sealed record MissingRatesNotice(IReadOnlyList<MissingRate> Missing, string Currency)
{
    /// <summary>The rates page with the first missing rate filled in (one unit of the missing currency in the total's).</summary>
    public string FixLink(MissingRate m) =>
        $"/rates?base={m.Currency}&quote={Currency}&date={m.Date:yyyy-MM-dd}#enter";

    public IReadOnlyList<string> Currencies => Missing.Select(m => m.Currency).Distinct().Order(StringComparer.Ordinal).ToList();
}
