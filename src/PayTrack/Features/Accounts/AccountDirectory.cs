using System.Collections.Concurrent;
using System.Globalization;
using PayTrack.Data;

namespace PayTrack.Features.Accounts;

/// <summary>What never changes about an account once it exists: its owner, currency and kind.</summary>
public sealed record AccountFacts(Guid Id, Guid? UserId, string Currency, string Kind);

/// <summary>
/// Remembers the facts of accounts seen before, so that checking a transfer (whose wallet, which
/// currency, is it a wallet) costs no database read once an account is known. Only facts that never
/// change are kept; status and balances are always read under the row locks when money moves.
/// Accounts are never deleted, so an entry can never go stale.
/// </summary>
public sealed class AccountDirectory
{
    private const int MaxEntries = 200_000;
    private readonly ConcurrentDictionary<Guid, AccountFacts> _known = new();

    /// <summary>The accounts among <paramref name="ids"/> that exist, reading the unknown ones in one query.</summary>
    public async Task<Dictionary<Guid, AccountFacts>> FindAsync(Sql sql, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var found = new Dictionary<Guid, AccountFacts>(ids.Count);
        List<Guid>? missing = null;
        foreach (var id in ids)
        {
            if (_known.TryGetValue(id, out var facts)) found[id] = facts;
            else (missing ??= []).Add(id);
        }
        if (missing is null) return found;

        // A miss reads every account of the owners of the missing ones: a user's other wallets are the next ones asked for.
        var placeholders = string.Join(", ", missing.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        var rows = await sql.QueryAsync(
            $"SELECT id, user_id, currency, kind FROM accounts WHERE id IN ({placeholders}) " +
            $"OR user_id IN (SELECT user_id FROM accounts WHERE id IN ({placeholders}) AND user_id IS NOT NULL)",
            missing.Cast<object?>().ToArray(),
            r => new AccountFacts(Sql.ReadGuid(r, 0), Sql.ReadGuidOrNull(r, 1), r.GetString(2), r.GetString(3)), ct);
        if (_known.Count + rows.Count > MaxEntries) _known.Clear();
        foreach (var row in rows)
        {
            _known[row.Id] = row;
            if (ids.Contains(row.Id)) found[row.Id] = row;
        }
        return found;
    }
}
