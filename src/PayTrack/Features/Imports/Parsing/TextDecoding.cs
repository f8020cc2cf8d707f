using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// Turns a file's bytes into text. By default a BOM decides (UTF-8, UTF-16 LE/BE); otherwise bytes that
/// are valid UTF-8 are UTF-8, and anything else is Windows-1252 (a superset of Latin-1 for the letters
/// banks use). Any other encoding .NET can decode (the Windows, ISO-8859, DOS, KOI8 and East Asian code
/// pages) is read when named; its name is normalised to one spelling (<see cref="Normalize"/>).
/// </summary>
public static partial class TextDecoding
{
    public const string Utf8 = "utf-8", Utf8Bom = "utf-8-bom", Utf16Le = "utf-16le", Utf16Be = "utf-16be", Windows1252 = "windows-1252", Latin1 = "iso-8859-1";

    // The code pages (Windows-125x, ISO-8859-x, DOS, KOI8, Shift_JIS, GB18030, Big5, EUC-KR…) ship with the
    // shared framework but are off until registered. Program.cs registers them at start-up; this covers the
    // parser used on its own (unit tests, the bench). Registering the same provider twice is harmless.
    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Makes every code page .NET knows available to <see cref="Encoding.GetEncoding(string)"/>.</summary>
    public static void RegisterCodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>An encoding the import page offers: its name (as <see cref="Normalize"/> spells it) and a label for people.</summary>
    public sealed record Choice(string Name, string Label);

    /// <summary>The encodings the import page offers, grouped by where they are used.</summary>
    public static readonly IReadOnlyList<(string Region, Choice[] Choices)> Offered =
    [
        ("Unicode", [new(Utf8, "UTF-8"), new(Utf8Bom, "UTF-8 (with BOM)"), new(Utf16Le, "UTF-16 LE"), new(Utf16Be, "UTF-16 BE")]),
        ("Western Europe and the Americas", [new(Windows1252, "Windows-1252 (Western European)"), new(Latin1, "ISO-8859-1 (Latin-1)"),
            new("iso-8859-15", "ISO-8859-15 (Latin-9, with €)"), new("ibm850", "CP850 (DOS, Western European)"), new("ibm437", "CP437 (DOS, US)"), new("macintosh", "Mac Roman")]),
        ("Central Europe (Czech, Polish, Hungarian, Slovak, Croatian, Slovene, Romanian)", [new("windows-1250", "Windows-1250 (Central European)"),
            new("iso-8859-2", "ISO-8859-2 (Latin-2)"), new("ibm852", "CP852 (DOS, Central European)")]),
        ("Cyrillic (Russian, Ukrainian, Bulgarian, Serbian)", [new("windows-1251", "Windows-1251 (Cyrillic)"), new("koi8-r", "KOI8-R (Russian)"),
            new("koi8-u", "KOI8-U (Ukrainian)"), new("iso-8859-5", "ISO-8859-5 (Cyrillic)"), new("cp866", "CP866 (DOS, Cyrillic)")]),
        ("Baltic", [new("windows-1257", "Windows-1257 (Baltic)"), new("iso-8859-13", "ISO-8859-13 (Baltic)")]),
        ("Greek", [new("windows-1253", "Windows-1253 (Greek)"), new("iso-8859-7", "ISO-8859-7 (Greek)")]),
        ("Turkish", [new("windows-1254", "Windows-1254 (Turkish)"), new("iso-8859-9", "ISO-8859-9 (Turkish)")]),
        ("Hebrew and Arabic", [new("windows-1255", "Windows-1255 (Hebrew)"), new("windows-1256", "Windows-1256 (Arabic)")]),
        ("East Asia", [new("shift_jis", "Shift_JIS (Japanese)"), new("euc-jp", "EUC-JP (Japanese)"), new("gb18030", "GB18030 (Chinese, simplified)"),
            new("gbk", "GBK (Chinese, simplified)"), new("big5", "Big5 (Chinese, traditional)"), new("euc-kr", "EUC-KR (Korean)")]),
        ("South-East Asia", [new("windows-874", "Windows-874 (Thai)"), new("windows-1258", "Windows-1258 (Vietnamese)")]),
    ];

    /// <summary>A few names to show people who typed one that is not known.</summary>
    public const string Examples = "utf-8, windows-1252 (Western Europe), windows-1250 or iso-8859-2 (Central Europe), windows-1251 or koi8-r (Cyrillic), iso-8859-15, cp850, shift_jis, gb18030, big5 or euc-kr";

    /// <summary>The label of an encoding's name, or the name itself.</summary>
    public static string Label(string name) =>
        Offered.SelectMany(g => g.Choices).FirstOrDefault(c => c.Name == name)?.Label ?? name;

    /// <summary>The detected encoding's name: <see cref="Utf8"/>, <see cref="Utf8Bom"/>, <see cref="Utf16Le"/>, <see cref="Utf16Be"/> or <see cref="Windows1252"/>.</summary>
    public static string Detect(ReadOnlySpan<byte> bytes)
    {
        if (Bom(bytes) is { } bom) return bom;
        // UTF-16 without a BOM still shows itself: every other byte of Latin text is zero.
        if (bytes.Length >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0) return Utf16Le;
        if (bytes.Length >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0) return Utf16Be;
        return System.Text.Unicode.Utf8.IsValid(bytes) ? Utf8 : Windows1252;
    }

    /// <summary>The encoding a byte order mark names (<see cref="Utf8Bom"/>, <see cref="Utf16Le"/>, <see cref="Utf16Be"/>), or null.</summary>
    public static string? Bom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Utf8Bom;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Utf16Le;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Utf16Be;
        return null;
    }

    // Spellings .NET does not know by itself, or knows as something else.
    private static readonly Dictionary<string, string> Friendly = new(StringComparer.Ordinal)
    {
        ["utf8"] = Utf8, ["utf-8-bom"] = Utf8Bom, ["utf-8-sig"] = Utf8Bom, ["utf8-bom"] = Utf8Bom,
        ["utf-16"] = Utf16Le, ["utf16"] = Utf16Le, ["utf16le"] = Utf16Le, ["unicode"] = Utf16Le, ["ucs-2"] = Utf16Le, ["utf16be"] = Utf16Be,
        ["ansi"] = Windows1252, ["latin1"] = Latin1, ["latin-1"] = Latin1, ["l1"] = Latin1, ["iso8859-1"] = Latin1,
        ["latin2"] = "iso-8859-2", ["latin3"] = "iso-8859-3", ["latin4"] = "iso-8859-4", ["latin5"] = "iso-8859-9", ["latin7"] = "iso-8859-13",
        ["latin9"] = "iso-8859-15", ["sjis"] = "shift_jis", ["shift-jis"] = "shift_jis", ["x-sjis"] = "shift_jis",
        ["ascii"] = "us-ascii", ["usascii"] = "us-ascii", ["mac"] = "macintosh", ["macroman"] = "macintosh", ["mac-roman"] = "macintosh",
    };

    // cp1250, win-1250, windows1250, ms932, ibm850, dos-866, 1250 (OFX writes CHARSET:1250): a code page by number.
    [GeneratedRegex("^(?:cp|ms|win|windows|ibm|dos|x-cp)?-?(\\d{2,5})$")]
    private static partial Regex CodePageNumber();

    // iso8859-2, iso-8859_2, iso88592, 8859-2, latin-2: the ISO-8859 part by number.
    [GeneratedRegex("^(?:iso-?)?8859-?(\\d{1,2})$|^(?:latin|l)-(\\d{1,2})$")]
    private static partial Regex IsoPart();

    /// <summary>
    /// The one spelling of an encoding name people or files give ("latin2", "cp1250", "Windows_1251",
    /// "SJIS", "1250"): one of the constants above for the default encodings, otherwise .NET's web name
    /// in lower case (windows-1250, iso-8859-2, koi8-r, shift_jis, gb18030…). Null when .NET cannot decode it.
    /// </summary>
    public static string? Normalize(string? name)
    {
        var given = name?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(given) || given.Length > 40) return null;
        var n = given.Replace('_', '-').Replace(' ', '-');
        if (Friendly.TryGetValue(n, out var friendly)) return friendly;
        if (IsoPart().Match(n) is { Success: true } iso)
            n = iso.Groups[1].Success ? $"iso-8859-{iso.Groups[1].Value}" : Friendly.GetValueOrDefault($"latin{iso.Groups[2].Value}", "");
        // .NET's own names first (some keep an underscore: ks_c_5601-1987; IBM880 is code page 20880), then a code page number.
        var encoding = Get(() => Encoding.GetEncoding(n)) ?? Get(() => Encoding.GetEncoding(given));
        if (encoding is null && CodePageNumber().Match(n) is { Success: true } cp && int.TryParse(cp.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            encoding = Get(() => Encoding.GetEncoding(number));
        return NameOf(encoding);
    }

    private static Encoding? Get(Func<Encoding> get)
    {
        try { return get(); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException) { return null; }
    }

    /// <summary>The name <see cref="Normalize"/> gives an encoding.</summary>
    private static string? NameOf(Encoding? encoding) => encoding?.CodePage switch
    {
        null => null,
        65001 => Utf8,
        1200 => Utf16Le,
        1201 => Utf16Be,
        1252 => Windows1252,
        28591 => Latin1,
        936 => "gbk", // .NET calls code page 936 "gb2312"; what it decodes is GBK, the name banks and people use
        65000 => null, // UTF-7 can hide markup from filters; no bank writes it
        _ => encoding.WebName.ToLowerInvariant(),
    };

    /// <summary>The text of <paramref name="bytes"/> read as <paramref name="encoding"/> (a name <see cref="Normalize"/> gave), without its BOM.</summary>
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
            case Windows1252:
                return DecodeWindows1252(bytes);
            default:
                var e = Encoding.GetEncoding(encoding);
                var bom = e.Preamble;
                if (bom.Length > 0 && bytes.StartsWith(bom)) bytes = bytes[bom.Length..];
                return e.GetString(bytes);
        }
    }

    // 0x80–0x9F, where Windows-1252 differs from Latin-1 (€, curly quotes, Š, Ž, …); 0 marks the five unused bytes.
    private static readonly char[] High1252 =
    [
        '\u20AC', '\0', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\0', '\u017D', '\0',
        '\0', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\0', '\u017E', '\u0178',
    ];

    /// <summary>The character Windows-1252 gives one byte (the five unused bytes stay as the C1 control of that number).</summary>
    public static char Windows1252Char(byte b) => b is >= 0x80 and <= 0x9F && High1252[b - 0x80] is var c and not '\0' ? c : (char)b;

    private static string DecodeWindows1252(ReadOnlySpan<byte> bytes) => string.Create(bytes.Length, bytes.ToArray(), static (chars, source) =>
    {
        for (var i = 0; i < source.Length; i++) chars[i] = Windows1252Char(source[i]);
    });
}
