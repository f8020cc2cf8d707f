namespace PayTrack.Domain.Groups;

/// <summary>One suggested payment: <paramref name="From"/> pays <paramref name="To"/> <paramref name="Minor"/> units.</summary>
public readonly record struct SuggestedTransfer(Guid From, Guid To, long Minor);

/// <summary>
/// Pure settle-up planning (no database). Balances are per member, positive when the member is owed money,
/// and sum to zero. Up to <see cref="ExactLimit"/> non-zero balances the plan has the fewest transfers
/// possible: the members are split into the largest number of disjoint groups whose balances sum to zero
/// (an exact search over subsets), and a group of k members settles with k − 1 transfers. Above the limit
/// every member is one group (at most n − 1 transfers).
/// <para>
/// Inside a group, debtors and creditors each stand in user-id order, laid end to end on a line of amounts;
/// a transfer is the overlap of a debtor's stretch and a creditor's. Paying one suggestion removes its
/// overlap from both lines and leaves every other overlap as it was, so the plan after the payment is the
/// old plan minus that payment (ADR 0039).
/// </para>
/// </summary>
public static class SettleUp
{
    public const int ExactLimit = 12;

    public static List<SuggestedTransfer> Plan(IEnumerable<(Guid UserId, long Balance)> balances)
    {
        var members = balances.Where(b => b.Balance != 0).OrderBy(b => b.UserId).ToArray();
        long total = 0;
        foreach (var m in members) total = checked(total + m.Balance);
        if (total != 0) throw new ArgumentException("Balances must sum to zero.", nameof(balances));
        if (members.Length == 0) return [];

        var plan = new List<SuggestedTransfer>();
        if (members.Length > ExactLimit)
        {
            Settle(members, plan);
        }
        else
        {
            foreach (var group in ZeroSumGroups(members.Select(m => m.Balance).ToArray()))
                Settle(group.Select(i => members[i]).ToArray(), plan);
        }
        plan.Sort((a, b) => a.From != b.From ? a.From.CompareTo(b.From) : a.To.CompareTo(b.To));
        return plan;
    }

    /// <summary>The overlaps of debtors' and creditors' stretches, each side in user-id order (members already sorted).</summary>
    private static void Settle((Guid UserId, long Balance)[] group, List<SuggestedTransfer> plan)
    {
        var debtors = group.Where(m => m.Balance < 0).Select(m => (m.UserId, Left: -m.Balance)).ToArray();
        var creditors = group.Where(m => m.Balance > 0).Select(m => (m.UserId, Left: m.Balance)).ToArray();
        int d = 0, c = 0;
        while (d < debtors.Length && c < creditors.Length)
        {
            var amount = Math.Min(debtors[d].Left, creditors[c].Left);
            plan.Add(new SuggestedTransfer(debtors[d].UserId, creditors[c].UserId, amount));
            debtors[d].Left -= amount;
            creditors[c].Left -= amount;
            if (debtors[d].Left == 0) d++;
            if (creditors[c].Left == 0) c++;
        }
    }

    /// <summary>
    /// The partition of the members (indexes, in id order) into the most zero-sum groups. Among equally good
    /// partitions one is chosen by a fixed rule: the lowest member's group is the smallest possible, then the
    /// one whose member indexes compare lowest; then the same for the rest.
    /// </summary>
    internal static List<int[]> ZeroSumGroups(long[] balances)
    {
        var n = balances.Length;
        var full = (1 << n) - 1;
        var sum = new long[1 << n];
        for (var mask = 1; mask <= full; mask++)
        {
            var low = mask & -mask;
            sum[mask] = sum[mask ^ low] + balances[System.Numerics.BitOperations.TrailingZeroCount(low)];
        }
        // best[mask]: the most zero-sum groups a zero-sum mask splits into (-1 when the mask's sum is not zero).
        var best = new int[1 << n];
        for (var mask = 1; mask <= full; mask++)
        {
            if (sum[mask] != 0) { best[mask] = -1; continue; }
            best[mask] = 1;
            // Each partition is counted once, through the group holding the mask's lowest member.
            var low = mask & -mask;
            var rest = mask ^ low;
            for (var sub = rest; sub > 0; sub = (sub - 1) & rest)
            {
                var group = sub | low;
                if (group == mask || sum[group] != 0) continue;
                var other = best[mask ^ group];
                if (other > 0 && other + 1 > best[mask]) best[mask] = other + 1;
            }
        }

        var groups = new List<int[]>();
        var left = full;
        while (left != 0)
        {
            var low = left & -left;
            var rest = left ^ low;
            var chosen = left;
            if (best[left] > 1)
            {
                var chosenKey = -1;
                for (var sub = rest; ; sub = (sub - 1) & rest)
                {
                    var group = sub | low;
                    if (group != left && sum[group] == 0 && best[left ^ group] == best[left] - 1 && Reversed(group, n) > chosenKey)
                        (chosen, chosenKey) = (group, Reversed(group, n));
                    if (sub == 0) break;
                }
            }
            groups.Add(Members(chosen));
            left ^= chosen;
        }
        return groups;
    }

    /// <summary>The mask with member 0 as the most significant bit: a larger value holds lower members.</summary>
    private static int Reversed(int mask, int n)
    {
        var r = 0;
        for (var i = 0; i < n; i++) r = (r << 1) | ((mask >> i) & 1);
        return r;
    }

    private static int[] Members(int mask)
    {
        var list = new List<int>();
        for (var i = 0; mask != 0; i++, mask >>= 1) if ((mask & 1) != 0) list.Add(i);
        return list.ToArray();
    }
}
