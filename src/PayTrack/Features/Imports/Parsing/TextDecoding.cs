using System.Text;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// Turns a file's bytes into text: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise bytes that are valid
/// UTF-8 are UTF-8, and anything else is Windows-1252 (a superset of Latin-1 for the letters banks use).
/// </summary>
public static class TextDecoding
{
    public const string Utf8 = "utf-8", Utf8Bom = "utf-8-bom", Utf16Le = "utf-16le", Utf16Be = "utf-16be", Windows1252 = "windows-1252", Latin1 = "iso-8859-1";
    public static readonly string[] Known = [Utf8, Utf8Bom, Utf16Le, Utf16Be, Windows1252, Latin1];

    /// <summary>The detected encoding's name (one of <see cref="Known"/>).</summary>
    public static string Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Utf8Bom;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Utf16Le;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Utf16Be;
        // UTF-16 without a BOM still shows itself: every other byte of Latin text is zero.
        if (bytes.Length >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0) return Utf16Le;
        if (bytes.Length >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0) return Utf16Be;
        return System.Text.Unicode.Utf8.IsValid(bytes) ? Utf8 : Windows1252;
    }

    /// <summary>Normalises the names people type ("latin1", "cp1252", "UTF8") to one of <see cref="Known"/>; null when unknown.</summary>
    public static string? Normalize(string? name) => name?.Trim().ToLowerInvariant().Replace("_", "-") switch
    {
        "utf-8" or "utf8" => Utf8,
        "utf-8-bom" or "utf-8-sig" => Utf8Bom,
        "utf-16" or "utf-16le" or "utf16" or "unicode" => Utf16Le,
        "utf-16be" => Utf16Be,
        "windows-1252" or "cp1252" or "cp-1252" or "win-1252" or "ansi" => Windows1252,
        "iso-8859-1" or "latin1" or "latin-1" or "iso8859-1" or "iso-8859-15" or "latin-9" => Latin1,
        _ => null,
    };

    public static string Decode(ReadOnlySpan<byte> bytes, string encoding)
    {
        switch (encoding)
        {
            case Utf8 or Utf8Bom:
                if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
                return Encoding.UTF8.GetString(bytes);
            case Utf16Le:
                if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) bytes = bytes[2..];
                return Encoding.Unicode.GetString(bytes);
            case Utf16Be:
                if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) bytes = bytes[2..];
                return Encoding.BigEndianUnicode.GetString(bytes);
            case Latin1:
                return Encoding.Latin1.GetString(bytes);
            default:
                return DecodeWindows1252(bytes);
        }
    }

    // 0x80–0x9F, where Windows-1252 differs from Latin-1 (€, curly quotes, Š, Ž, …); 0 marks the five unused bytes.
    private static readonly char[] High1252 =
    [
        '\u20AC', '\0', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\0', '\u017D', '\0',
        '\0', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\0', '\u017E', '\u0178',
    ];

    private static string DecodeWindows1252(ReadOnlySpan<byte> bytes) => string.Create(bytes.Length, bytes.ToArray(), static (chars, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            chars[i] = b is >= 0x80 and <= 0x9F && High1252[b - 0x80] is var c and not '\0' ? c : (char)b;
        }
    });
}
