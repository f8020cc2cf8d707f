using System.Globalization;
using System.Text;

namespace PayTrack.Data;

/// <summary>Statements gathered to be sent together; <c>{n}</c> placeholders are numbered per statement.</summary>
public sealed class StatementBatch(Sql sql)
{
    private readonly StringBuilder _text = new();
    private readonly List<object?> _args = [];

    public int Count { get; private set; }

    /// <summary>How many parameters the statements gathered so far take.</summary>
    public int ParameterCount => _args.Count;

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

    /// <summary>
    /// One statement: <paramref name="prefix"/>, then rows <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/>
    /// of <paramref name="rows"/> as <c>(@a, @b, ...), (...)</c>, then <paramref name="suffix"/>.
    /// </summary>
    public StatementBatch AddValues(string prefix, IReadOnlyList<object?[]> rows, int from, int count, string suffix)
    {
        _text.Append(prefix);
        for (var r = from; r < from + count; r++)
        {
            _text.Append(r == from ? "(" : ", (");
            var row = rows[r];
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0) _text.Append(", ");
                _text.Append("@p").Append(_args.Count.ToString(CultureInfo.InvariantCulture));
                _args.Add(row[c]);
            }
            _text.Append(')');
        }
        _text.Append(suffix).Append(";\n");
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
