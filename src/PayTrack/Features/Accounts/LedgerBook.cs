using System.Globalization;
using System.Text;
using PayTrack.Data;

namespace PayTrack.Features.Accounts;

/// <summary>An account row as locked for a money movement.</summary>
public sealed record LockedAccount(Guid Id, Guid? UserId, string Currency, string Kind, string Status, long Balance, long Held)
{
    public long Available => Balance - Held;
    public bool IsSystem => Kind == AccountKinds.System;
}

/// <summary>One account's change in a movement: posted money and/or held money.</summary>
public sealed record Leg(Guid AccountId, long BalanceDelta, long HeldDelta = 0);

/// <summary>
/// The double-entry book. Callers lock the accounts they touch (<see cref="LockAsync"/>, always in id
/// order, so two movements never wait on each other in a circle), decide, then <see cref="Apply"/>
/// the legs: balances, the journal entry and its postings go to the database in one round trip,
/// inside the caller's transaction. Postings of an entry always sum to zero.
/// </summary>
public sealed class LedgerBook(Sql sql)
{
    /// <summary>Locks the rows (PostgreSQL: FOR UPDATE in id order; SQLite: the write transaction already excludes others).</summary>
    public async Task<Dictionary<Guid, LockedAccount>> LockAsync(IEnumerable<Guid> accountIds, CancellationToken ct)
    {
        var ids = accountIds.Distinct().Order().ToArray();
        var placeholders = string.Join(", ", ids.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        var lockClause = sql.IsSqlite ? "" : " FOR UPDATE";
        var rows = await sql.QueryAsync(
            $"SELECT id, user_id, currency, kind, status, balance_minor, held_minor FROM accounts WHERE id IN ({placeholders}) ORDER BY id{lockClause}",
            ids.Cast<object?>().ToArray(),
            r => new LockedAccount(Sql.ReadGuid(r, 0), Sql.ReadGuidOrNull(r, 1), r.GetString(2), r.GetString(3), r.GetString(4),
                Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(6), CultureInfo.InvariantCulture)), ct);
        return rows.ToDictionary(a => a.Id);
    }

    /// <summary>The system account that stands for the payment provider in <paramref name="currency"/>, created on first use.</summary>
    public async Task<Guid> ProviderAccountAsync(string currency, DateTime now, CancellationToken ct)
    {
        var key = "provider:" + currency;
        // A system account, once created, keeps its id: remember it per database instead of asking on every settlement.
        var cacheKey = sql.DatabaseIdentity + "|" + key;
        if (ProviderAccounts.TryGetValue(cacheKey, out var known)) return known;
        await sql.WriteAsync(
            "INSERT INTO accounts (id, user_id, name, currency, kind, system_key, status, balance_minor, held_minor, created_at, updated_at) " +
            "VALUES (@p0, NULL, @p1, @p2, 'system', @p1, 'active', 0, 0, @p3, @p3) ON CONFLICT (system_key) DO NOTHING",
            [Guid.CreateVersion7(), key, currency, now], ct);
        var ids = await sql.QueryAsync("SELECT id FROM accounts WHERE system_key = @p0", [key], r => Sql.ReadGuid(r, 0), ct);
        // Only remember it once committed: the caller's transaction could still roll the insert back.
        if (!sql.InTransaction) ProviderAccounts[cacheKey] = ids[0];
        return ids[0];
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> ProviderAccounts = new(StringComparer.Ordinal);

    /// <summary>
    /// A batch of statements (to run in one round trip) applying <paramref name="legs"/> to the locked accounts,
    /// and, when money is posted, the journal entry with one posting per leg. Updates <paramref name="locked"/> in place.
    /// </summary>
    public void Apply(StatementBatch batch, Dictionary<Guid, LockedAccount> locked, IReadOnlyList<Leg> legs,
        string kind, Guid referenceId, string currency, string? description, DateTime now)
    {
        var posted = legs.Where(l => l.BalanceDelta != 0).ToList();
        if (posted.Sum(l => l.BalanceDelta) != 0) throw new InvalidOperationException("A journal entry's postings must sum to zero.");
        Guid? entryId = null;
        if (posted.Count > 0)
        {
            entryId = Guid.CreateVersion7();
            batch.Add("INSERT INTO journal_entries (id, kind, reference_id, currency, description, created_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5})",
                entryId, kind, referenceId, currency, description, now);
        }
        foreach (var leg in legs.OrderBy(l => l.AccountId))
        {
            var account = locked[leg.AccountId];
            var after = account with { Balance = checked(account.Balance + leg.BalanceDelta), Held = checked(account.Held + leg.HeldDelta) };
            locked[leg.AccountId] = after;
            batch.Add("UPDATE accounts SET balance_minor = balance_minor + {0}, held_minor = held_minor + {1}, updated_at = {2} WHERE id = {3}",
                leg.BalanceDelta, leg.HeldDelta, now, leg.AccountId);
            if (leg.BalanceDelta != 0)
            {
                batch.Add("INSERT INTO postings (id, entry_id, account_id, amount_minor, balance_after_minor, created_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5})",
                    Guid.CreateVersion7(), entryId, leg.AccountId, leg.BalanceDelta, after.Balance, now);
            }
        }
    }
}

/// <summary>Statements gathered to be sent together; <c>{n}</c> placeholders are numbered per statement.</summary>
public sealed class StatementBatch(Sql sql)
{
    private readonly StringBuilder _text = new();
    private readonly List<object?> _args = [];

    public int Count { get; private set; }

    public StatementBatch Add(string statement, params object?[] args)
    {
        var offset = _args.Count;
        var numbered = statement;
        for (var i = args.Length - 1; i >= 0; i--)
            numbered = numbered.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", "@p" + (offset + i).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        _text.Append(numbered).Append(";\n");
        _args.AddRange(args);
        Count++;
        return this;
    }

    public async Task ExecuteAsync(CancellationToken ct)
    {
        if (Count == 0) return;
        await sql.ExecAsync(_text.ToString(), _args.ToArray(), ct);
        _text.Clear();
        _args.Clear();
        Count = 0;
    }
}
