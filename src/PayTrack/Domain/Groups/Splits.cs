using System.Globalization;

namespace PayTrack.Domain.Groups;

/// <summary>How a group expense is divided: <c>equal</c>, <c>exact</c> amounts, <c>percent</c>, or integer <c>shares</c>.</summary>
public static class SplitModes
{
    public const string Equal = "equal";
    public const string Exact = "exact";
    public const string Percent = "percent";
    public const string Shares = "shares";
    public static readonly string[] All = [Equal, Exact, Percent, Shares];
    public static bool IsValid(string? mode) => mode is Equal or Exact or Percent or Shares;
}

/// <summary>One person's part of a split as the request gives it: <paramref name="Value"/> is decimal text (or absent for <c>equal</c>).</summary>
public readonly record struct SplitPart(Guid UserId, string? Value);

/// <summary>One person's whole-minor-unit part of an amount.</summary>
public readonly record struct Share(Guid UserId, long Minor);

/// <summary>
/// Pure split maths (no database, no clock). Every mode becomes non-negative integer weights, and
/// <see cref="Allocate"/> turns an amount and weights into whole minor units by the largest-remainder method:
/// each part is its exact value rounded down, and the units left over (fewer than the number of parts) go
/// one each to the parts with the largest remainders; equal remainders go to the lower user id. So the
/// parts sum exactly to the amount, none is off from its exact value by a whole unit or more, and the
/// result depends on the set of parts, never on their order in the request. See ADR 0039.
/// </summary>
public static class Splits
{
    /// <summary>The largest weight a <c>shares</c> part may carry; a larger one is a typo.</summary>
    public const long MaxShareWeight = 1_000_000;

    /// <summary>
    /// Splits <paramref name="total"/> minor units in proportion to <paramref name="weights"/> (at least one positive).
    /// The answer is ordered by user id.
    /// </summary>
    public static List<Share> Allocate(long total, IReadOnlyList<(Guid UserId, long Weight)> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        Int128 sum = 0;
        foreach (var (_, w) in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(w);
            sum += w;
        }
        if (sum == 0) throw new ArgumentException("At least one weight must be positive.", nameof(weights));

        var parts = new (Guid UserId, long Floor, Int128 Remainder)[weights.Count];
        long allocated = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            // total × weight fits Int128 easily (both are below 2^63), so the division is exact integer maths.
            var product = (Int128)total * weights[i].Weight;
            var floor = (long)(product / sum);
            parts[i] = (weights[i].UserId, floor, product % sum);
            allocated += floor;
        }
        // Remainders compare as fractions of the same denominator, so comparing numerators is exact.
        Array.Sort(parts, (a, b) => b.Remainder != a.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.UserId.CompareTo(b.UserId));
        var left = total - allocated; // 0 ≤ left < number of parts
        var result = new List<Share>(parts.Length);
        for (var i = 0; i < parts.Length; i++) result.Add(new Share(parts[i].UserId, parts[i].Floor + (i < left ? 1 : 0)));
        result.Sort((a, b) => a.UserId.CompareTo(b.UserId));
        return result;
    }

    /// <summary>
    /// Turns a split as requested into weights for <see cref="Allocate"/>, or explains in words why it does not
    /// add up (the API answers 400 with the message, the web form shows it next to the split editor).
    /// </summary>
    public static bool TryWeights(Money amount, string? mode, IReadOnlyList<SplitPart> parts, out List<(Guid UserId, long Weight)> weights, out string error)
    {
        weights = [];
        error = "";
        if (!SplitModes.IsValid(mode)) { error = "split.mode must be one of equal, exact, percent, shares."; return false; }
        if (parts.Count == 0) { error = "split.parts must name at least one member."; return false; }
        if (parts.Select(p => p.UserId).Distinct().Count() != parts.Count) { error = "split.parts names a member twice."; return false; }

        switch (mode)
        {
            case SplitModes.Equal:
                if (parts.Any(p => !string.IsNullOrEmpty(p.Value))) { error = "An equal split takes no values."; return false; }
                weights = parts.Select(p => (p.UserId, 1L)).ToList();
                return true;

            case SplitModes.Exact:
                long sum = 0;
                foreach (var p in parts)
                {
                    if (!Money.TryParse(p.Value, amount.Currency, out var m, out var e, allowZero: true)) { error = $"Exact amounts: {e}"; return false; }
                    sum = checked(sum + m.Minor);
                    weights.Add((p.UserId, m.Minor));
                }
                if (sum != amount.Minor)
                {
                    var diff = new Money(Math.Abs(amount.Minor - sum), amount.Currency);
                    error = $"The exact amounts add up to {new Money(sum, amount.Currency).ToAmountString()}, not {amount.ToAmountString()}: " +
                            (sum < amount.Minor ? $"{diff.ToAmountString()} is not assigned to anyone." : $"they are {diff.ToAmountString()} too much.");
                    return false;
                }
                return true;

            case SplitModes.Percent:
                long hundredths = 0;
                foreach (var p in parts)
                {
                    if (!TryDecimal(p.Value, 2, out var pct) || pct > 100) { error = "Percentages are numbers from 0 to 100 with at most 2 decimals."; return false; }
                    var w = (long)(pct * 100);
                    hundredths += w;
                    weights.Add((p.UserId, w));
                }
                if (hundredths != 10_000)
                {
                    error = $"The percentages add up to {(hundredths / 100m).ToString("0.##", CultureInfo.InvariantCulture)} %, not 100 %.";
                    return false;
                }
                return true;

            default: // shares
                foreach (var p in parts)
                {
                    if (!TryDecimal(p.Value, 0, out var s) || s < 1 || s > MaxShareWeight) { error = $"Shares are whole numbers from 1 to {MaxShareWeight:N0}."; return false; }
                    weights.Add((p.UserId, (long)s));
                }
                return true;
        }
    }

    /// <summary>Allocates <paramref name="amount"/> by the split, or explains why the split is refused.</summary>
    public static bool TryAllocate(Money amount, string? mode, IReadOnlyList<SplitPart> parts, out List<Share> shares, out string error)
    {
        shares = [];
        if (!TryWeights(amount, mode, parts, out var weights, out error)) return false;
        shares = Allocate(amount.Minor, weights);
        return true;
    }

    /// <summary>A plain non-negative decimal with at most <paramref name="maxDecimals"/> decimals.</summary>
    private static bool TryDecimal(string? text, int maxDecimals, out decimal value)
    {
        value = 0;
        if (text is null || !Money.IsPlainDecimal(text)) return false;
        var dot = text.IndexOf('.');
        if (dot >= 0 && text.Length - dot - 1 > maxDecimals && text[(dot + 1 + maxDecimals)..].Any(c => c != '0')) return false;
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value < 1_000_000_000m;
    }
}
