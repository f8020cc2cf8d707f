using System.Globalization;
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
/// order, so two movements never wait on each other in a circle), decide, then <c>Apply</c>
/// the legs: balances, the journal entry and its postings go to the database in one round trip,
/// inside the caller's transaction. Postings of an entry always sum to zero. Many movements can be
/// gathered into a <see cref="BookingSet"/> and written together, set-based (<see cref="AddToAsync"/>).
/// </summary>
public sealed class LedgerBook(Sql sql)
{
    /// <summary>Locks the rows (PostgreSQL: FOR NO KEY UPDATE in id order; SQLite: the write transaction already excludes others).</summary>
    public async Task<Dictionary<Guid, LockedAccount>> LockAsync(IEnumerable<Guid> accountIds, CancellationToken ct)
    {
        var ids = accountIds.Distinct().Order().ToArray();
        var placeholders = string.Join(", ", ids.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        var lockClause = sql.IsSqlite ? "" : " FOR NO KEY UPDATE"; // blocks other movements, not foreign-key checks
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
        var moves = Move(locked, legs);
        Guid? entryId = null;
        if (moves.Any(m => m.Leg.BalanceDelta != 0))
        {
            entryId = Guid.CreateVersion7();
            batch.Add("INSERT INTO journal_entries (id, kind, reference_id, currency, description, created_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5})",
                entryId, kind, referenceId, currency, description, now);
        }
        foreach (var (leg, balanceAfter) in moves)
        {
            batch.Add("UPDATE accounts SET balance_minor = balance_minor + {0}, held_minor = held_minor + {1}, updated_at = {2} WHERE id = {3}",
                leg.BalanceDelta, leg.HeldDelta, now, leg.AccountId);
            if (leg.BalanceDelta != 0)
            {
                batch.Add("INSERT INTO postings (id, entry_id, account_id, amount_minor, balance_after_minor, created_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5})",
                    Guid.CreateVersion7(), entryId, leg.AccountId, leg.BalanceDelta, balanceAfter, now);
            }
        }
    }

    /// <summary>
    /// The same movement as the <see cref="StatementBatch"/> overload, gathered into <paramref name="set"/> to be written set-based with many others: the journal entry and postings
    /// as rows, the accounts' changes summed per account. Updates <paramref name="locked"/> in place, so the next
    /// movement is decided on the running balances and each posting's balance after is the one it leaves.
    /// </summary>
    public void Apply(BookingSet set, Dictionary<Guid, LockedAccount> locked, IReadOnlyList<Leg> legs,
        string kind, Guid referenceId, string currency, string? description, DateTime now)
    {
        var moves = Move(locked, legs);
        Guid? entryId = null;
        if (moves.Any(m => m.Leg.BalanceDelta != 0))
        {
            entryId = Guid.CreateVersion7();
            set.Rows.Add(JournalEntries, entryId, kind, referenceId, currency, description, now);
        }
        foreach (var (leg, balanceAfter) in moves)
        {
            set.Change(leg.AccountId, leg.BalanceDelta, leg.HeldDelta, now);
            if (leg.BalanceDelta != 0)
                set.Rows.Add(Postings, Guid.CreateVersion7(), entryId, leg.AccountId, leg.BalanceDelta, balanceAfter, now);
        }
    }

    /// <summary>Checks that the postings sum to zero and moves the locked accounts; answers each leg (in account order) with the balance it leaves.</summary>
    private static List<(Leg Leg, long BalanceAfter)> Move(Dictionary<Guid, LockedAccount> locked, IReadOnlyList<Leg> legs)
    {
        if (legs.Sum(l => l.BalanceDelta) != 0) throw new InvalidOperationException("A journal entry's postings must sum to zero.");
        var moves = new List<(Leg, long)>(legs.Count);
        foreach (var leg in legs.OrderBy(l => l.AccountId))
        {
            var account = locked[leg.AccountId];
            var after = account with { Balance = checked(account.Balance + leg.BalanceDelta), Held = checked(account.Held + leg.HeldDelta) };
            locked[leg.AccountId] = after;
            moves.Add((leg, after.Balance));
        }
        return moves;
    }

    public static readonly RowTable JournalEntries = new("journal_entries",
        ("id", "uuid"), ("kind", "text"), ("reference_id", "uuid"), ("currency", "text"), ("description", "text"), ("created_at", "timestamptz"));

    public static readonly RowTable Postings = new("postings",
        ("id", "uuid"), ("entry_id", "uuid"), ("account_id", "uuid"), ("amount_minor", "bigint"), ("balance_after_minor", "bigint"), ("created_at", "timestamptz"));

    /// <summary>
    /// Adds the statements that write <paramref name="set"/> to <paramref name="batch"/>: a handful of inserts per
    /// table (<see cref="RowBatch"/>), then one change per touched account with its net balance and held amounts.
    /// On SQLite the batch is run as it fills; what is left stays in it for the caller to run.
    /// </summary>
    public async Task AddToAsync(BookingSet set, StatementBatch batch, CancellationToken ct)
    {
        await set.Rows.AddToAsync(batch, sql.IsSqlite, ct);
        var changes = set.TakeChanges();
        if (changes.Count == 0) return;
        if (!sql.IsSqlite)
        {
            // One statement for every account; "= ANY" lets the plan find them by primary key whatever it guesses of the arrays' length.
            batch.Add("UPDATE accounts AS a SET balance_minor = a.balance_minor + d.balance, held_minor = a.held_minor + d.held, updated_at = d.at " +
                "FROM unnest({0}::uuid[], {1}::bigint[], {2}::bigint[], {3}::timestamptz[]) AS d(id, balance, held, at) " +
                "WHERE a.id = d.id AND a.id = ANY({0}::uuid[])",
                RowBatch.PgArray(changes.Select(c => c.Id).ToArray(), NpgsqlTypes.NpgsqlDbType.Uuid),
                RowBatch.PgArray(changes.Select(c => c.Balance).ToArray(), NpgsqlTypes.NpgsqlDbType.Bigint),
                RowBatch.PgArray(changes.Select(c => c.Held).ToArray(), NpgsqlTypes.NpgsqlDbType.Bigint),
                RowBatch.PgArray(changes.Select(c => c.At).ToArray(), NpgsqlTypes.NpgsqlDbType.TimestampTz));
            return;
        }
        var rows = changes.Select(c => new object?[] { c.Id, c.Balance, c.Held, c.At }).ToList();
        var perStatement = Math.Min(RowBatch.SqliteRowsPerStatement, RowBatch.SqliteParametersPerCommand / 4);
        for (var from = 0; from < rows.Count; from += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - from);
            if (batch.ParameterCount > 0 && batch.ParameterCount + count * 4 > RowBatch.SqliteParametersPerCommand) await batch.ExecuteAsync(ct);
            batch.AddValues("UPDATE accounts SET balance_minor = balance_minor + d.column2, held_minor = held_minor + d.column3, updated_at = d.column4 FROM (VALUES ",
                rows, from, count, ") AS d WHERE accounts.id = d.column1");
        }
    }
}

/// <summary>
/// Movements of many transfers decided in memory, one after the other on the running balances, to be
/// written together by <see cref="LedgerBook.AddToAsync"/>: rows per table, and each touched account's net change.
/// </summary>
public sealed class BookingSet
{
    private readonly Dictionary<Guid, (long Balance, long Held, DateTime At)> _changes = [];

    public RowBatch Rows { get; } = new();

    /// <summary>Adds a leg's change to its account's net change.</summary>
    public void Change(Guid accountId, long balanceDelta, long heldDelta, DateTime at)
    {
        var (balance, held, last) = _changes.GetValueOrDefault(accountId);
        _changes[accountId] = (checked(balance + balanceDelta), checked(held + heldDelta), at > last ? at : last);
    }

    /// <summary>The net changes, in account id order (the order the accounts were locked in), and forgets them.</summary>
    internal List<(Guid Id, long Balance, long Held, DateTime At)> TakeChanges()
    {
        var list = _changes.OrderBy(c => c.Key).Select(c => (c.Key, c.Value.Balance, c.Value.Held, c.Value.At)).ToList();
        _changes.Clear();
        return list;
    }
}
