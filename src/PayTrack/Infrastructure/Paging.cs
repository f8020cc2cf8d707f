using System.Buffers.Text;

namespace PayTrack.Infrastructure;

/// <summary>A page of a keyset-paginated list.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A keyset position in a list ordered by date, then id.</summary>
public readonly record struct DatedCursor(DateOnly Date, Guid Id);

/// <summary>Limit and cursor rules shared by every list endpoint.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Checks <c>limit</c> and decodes <c>cursor</c>; problems go into <paramref name="v"/>.</summary>
    public static (int Limit, Guid? After) Read(int? limit, string? cursor, Validation v)
    {
        var l = limit ?? DefaultLimit;
        if (l is < 1 or > MaxLimit) v.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (TryDecode(cursor, out var id)) after = id;
            else v.Add("cursor", "cursor is not one this API handed out.");
        }
        return (l, after);
    }

    public static string Encode(Guid id) => Base64Url.EncodeToString(id.ToByteArray());

    private static bool TryDecode(string cursor, out Guid id)
    {
        id = Guid.Empty;
        var buffer = new byte[16];
        if (cursor.Length != 22 || !Base64Url.IsValid(cursor)) return false;
        if (Base64Url.DecodeFromChars(cursor, buffer) != 16) return false;
        id = new Guid(buffer);
        return true;
    }

    /// <summary>
    /// Checks <c>limit</c> and decodes a cursor for lists ordered by a calendar date and then id
    /// (newest first, e.g. expenses): the position is the pair, since many rows share a date.
    /// </summary>
    public static (int Limit, DatedCursor? After) ReadDated(int? limit, string? cursor, Validation v)
    {
        var l = limit ?? DefaultLimit;
        if (l is < 1 or > MaxLimit) v.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        DatedCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (TryDecodeDated(cursor, out var position)) after = position;
            else v.Add("cursor", "cursor is not one this API handed out.");
        }
        return (l, after);
    }

    public static string Encode(DatedCursor position)
    {
        Span<byte> buffer = stackalloc byte[20];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer, position.Date.DayNumber);
        position.Id.TryWriteBytes(buffer[4..]);
        return Base64Url.EncodeToString(buffer);
    }

    private static bool TryDecodeDated(string cursor, out DatedCursor position)
    {
        position = default;
        Span<byte> buffer = stackalloc byte[20];
        if (cursor.Length != 27 || !Base64Url.IsValid(cursor)) return false;
        if (Base64Url.DecodeFromChars(cursor, buffer) != 20) return false;
        var day = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(buffer);
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber) return false;
        position = new DatedCursor(DateOnly.FromDayNumber(day), new Guid(buffer[4..]));
        return true;
    }

    /// <summary>Builds the page from <c>limit + 1</c> fetched rows.</summary>
    public static Page<TOut> ToPage<TIn, TOut>(List<TIn> rows, int limit, Func<TIn, Guid> key, Func<TIn, TOut> map)
    {
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        return new Page<TOut>(rows.Select(map).ToList(), hasMore ? Encode(key(rows[^1])) : null);
    }
}
