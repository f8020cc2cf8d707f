using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace PayTrack.Data;

/// <summary>A table's columns and their PostgreSQL types, for set-based inserts (<see cref="RowBatch"/>).</summary>
public sealed class RowTable
{
    public RowTable(string name, params (string Name, string PgType)[] columns)
    {
        Name = name;
        Columns = columns;
        var names = string.Join(", ", columns.Select(c => c.Name));
        InsertHead = $"INSERT INTO {name} ({names})";
        // PostgreSQL: one statement whatever the row count, so its text never changes and Npgsql prepares it once.
        // WITH ORDINALITY keeps the rows in the order they were added (identity columns number them in that order).
        var arrays = string.Join(", ", columns.Select((c, i) => "{" + i.ToString(CultureInfo.InvariantCulture) + "}::" + c.PgType + "[]"));
        UnnestInsert = $"{InsertHead} SELECT {string.Join(", ", columns.Select(c => "u." + c.Name))} FROM unnest({arrays}) WITH ORDINALITY AS u({names}, ord) ORDER BY u.ord";
    }

    public string Name { get; }
    public IReadOnlyList<(string Name, string PgType)> Columns { get; }
    internal string InsertHead { get; }
    internal string UnnestInsert { get; }
}

/// <summary>
/// Rows gathered per table and written with a handful of statements instead of one per row:
/// on PostgreSQL one <c>INSERT ... SELECT FROM unnest(typed arrays)</c> per table; on SQLite multi-row
/// <c>INSERT ... VALUES</c> in chunks small enough that Microsoft.Data.Sqlite's parameter binding (which
/// scans all of a command's parameters for every statement) stays cheap.
/// </summary>
public sealed class RowBatch
{
    /// <summary>SQLite: at most this many rows per INSERT ... VALUES.</summary>
    public const int SqliteRowsPerStatement = 50;

    /// <summary>SQLite: a command is run once it holds this many parameters.</summary>
    public const int SqliteParametersPerCommand = 400;

    private readonly List<(RowTable Table, List<object?[]> Rows)> _tables = [];

    public int Count { get; private set; }

    public void Add(RowTable table, params object?[] values)
    {
        if (values.Length != table.Columns.Count) throw new ArgumentException($"{table.Name} takes {table.Columns.Count} values, not {values.Length}.", nameof(values));
        List<object?[]>? rows = null;
        foreach (var (t, r) in _tables) if (ReferenceEquals(t, table)) { rows = r; break; }
        if (rows is null) _tables.Add((table, rows = []));
        rows.Add(values);
        Count++;
    }

    /// <summary>
    /// Adds the inserts to <paramref name="batch"/>, tables in the order they were first added. On SQLite the
    /// batch is run whenever it holds enough parameters; what is left stays in it for the caller to run.
    /// </summary>
    public async Task AddToAsync(StatementBatch batch, bool sqlite, CancellationToken ct)
    {
        foreach (var (table, rows) in _tables)
        {
            if (!sqlite)
            {
                batch.Add(table.UnnestInsert, table.Columns.Select((c, i) => (object?)ToArray(rows, i, c.PgType)).ToArray());
                continue;
            }
            var perStatement = Math.Max(1, Math.Min(SqliteRowsPerStatement, SqliteParametersPerCommand / table.Columns.Count));
            for (var from = 0; from < rows.Count; from += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - from);
                if (batch.ParameterCount > 0 && batch.ParameterCount + count * table.Columns.Count > SqliteParametersPerCommand) await batch.ExecuteAsync(ct);
                batch.AddValues(table.InsertHead + " VALUES ", rows, from, count, "");
            }
        }
        _tables.Clear();
        Count = 0;
    }

    /// <summary>
    /// A column as an array parameter with its PostgreSQL type stated: Npgsql would guess <c>timestamp</c>
    /// (without time zone) for an array of <see cref="DateTime"/> that starts with a null.
    /// </summary>
    internal static NpgsqlParameter ToArray(IReadOnlyList<object?[]> rows, int column, string pgType)
    {
        Array Typed<T>() where T : struct
        {
            var a = new T?[rows.Count];
            for (var i = 0; i < a.Length; i++) a[i] = (T?)rows[i][column];
            return a;
        }
        Array Strings()
        {
            var a = new string?[rows.Count];
            for (var i = 0; i < a.Length; i++) a[i] = (string?)rows[i][column];
            return a;
        }
        var (values, type) = pgType switch
        {
            "uuid" => (Typed<Guid>(), NpgsqlDbType.Uuid),
            "bigint" => (Typed<long>(), NpgsqlDbType.Bigint),
            "integer" => (Typed<int>(), NpgsqlDbType.Integer),
            "boolean" => (Typed<bool>(), NpgsqlDbType.Boolean),
            "timestamptz" => (Typed<DateTime>(), NpgsqlDbType.TimestampTz),
            "text" => (Strings(), NpgsqlDbType.Text),
            _ => throw new NotSupportedException($"No array mapping for PostgreSQL type {pgType}."),
        };
        return PgArray(values, type);
    }

    /// <summary>An array parameter for PostgreSQL, typed <paramref name="elementType"/>[].</summary>
    public static NpgsqlParameter PgArray(Array values, NpgsqlDbType elementType) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | elementType, Value = values };
}
