using System.Text;

namespace PayTrack.Features.Imports.Parsing;

/// <summary>
/// Looks at a file that was read as Windows-1252 only because it is not UTF-8, for signs that it was
/// written in another encoding: damaged UTF-8, a Cyrillic code page, or a Central European one. It is
/// conservative on purpose: Western European text (é, ü, ñ, å, ø, œ, ß, ¿…) gives no hint, and a hint is
/// only a warning — the file is still read as the contract says.
/// </summary>
public static class EncodingHint
{
    /// <summary>The warning for a file read as Windows-1252 by default, or null when it looks Western European.</summary>
    public static string? ForWindows1252(ReadOnlySpan<byte> bytes)
    {
        const string read = "The file is not UTF-8; it was read as Windows-1252 (Western European). If names look wrong, choose its encoding";
        // The first 256 KB tell as much as the whole file.
        var likely = Likely(bytes[..Math.Min(bytes.Length, 256 * 1024)]);
        return likely switch
        {
            null => null,
            TextDecoding.Utf8 => "The file is almost all UTF-8, but a few bytes are not; it was read as Windows-1252 (Western European). If names look wrong, choose UTF-8.",
            "windows-1250" => $"{read} (it looks like Windows-1250, used in Central Europe).",
            "iso-8859-2" => $"{read} (it looks like ISO-8859-2, used in Central Europe).",
            "windows-1251" or "koi8-r" or "cp866" => $"{read} (it looks like {TextDecoding.Label(likely)}).",
            _ => $"{read}: many of its words are not in a Latin alphabet (East Asian files are often Shift_JIS, GB18030, Big5 or EUC-KR).",
        };
    }

    /// <summary>
    /// The encoding the bytes more likely are in than Windows-1252: utf-8, windows-1250, iso-8859-2,
    /// windows-1251, koi8-r, cp866, "" for "not a Latin alphabet, cannot tell which", or null.
    /// </summary>
    public static string? Likely(ReadOnlySpan<byte> bytes)
    {
        var high = 0;
        foreach (var b in bytes) if (b >= 0x80) high++;
        if (high == 0) return null;
        if (high >= 4 && InUtf8Sequences(bytes) * 10 >= high * 9) return TextDecoding.Utf8;
        if (NonLatin(bytes) is { } nonLatin) return nonLatin;
        return CentralEuropean(bytes);
    }

    /// <summary>How many bytes ≥ 0x80 belong to well-formed UTF-8 sequences.</summary>
    private static int InUtf8Sequences(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        while (!bytes.IsEmpty)
        {
            System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var used);
            if (used > 1 && rune != System.Text.Rune.ReplacementChar) count += used;
            bytes = bytes[Math.Max(used, 1)..];
        }
        return count;
    }

    private static bool IsHigh(byte b) => b >= 0x80 && b != 0xA0;
    private static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    /// <summary>
    /// Words of three or more bytes ≥ 0x80 in a row are not Western European (whose accented letters
    /// come one, at most two, at a time: "réélu", "ação"), they are Cyrillic, Greek or East Asian.
    /// When they make a good share of the words with such bytes, says which Cyrillic code page reads
    /// them as the commonest Cyrillic letters, or "" when none does.
    /// </summary>
    private static string? NonLatin(ReadOnlySpan<byte> bytes)
    {
        int words = 0, foreign = 0, run = 0, longest = 0;
        var inWord = false;
        var hasHigh = false;
        for (var i = 0; i <= bytes.Length; i++)
        {
            var b = i < bytes.Length ? bytes[i] : (byte)' ';
            if (IsHigh(b) || IsAsciiLetter(b))
            {
                inWord = true;
                if (IsHigh(b)) { hasHigh = true; run++; longest = Math.Max(longest, run); } else run = 0;
                continue;
            }
            if (inWord && hasHigh)
            {
                words++;
                if (longest >= 3) foreign++;
            }
            (inWord, hasHigh, run, longest) = (false, false, 0, 0);
        }
        if (foreign < 2 || foreign * 3 < words) return null;

        // The commonest letters of Russian, Ukrainian and Bulgarian text, in both cases: what a right guess shows most.
        const string common = "оеаинтсрвлкіОЕАИНТСРВЛКІ";
        var high = 0;
        foreach (var b in bytes) if (b >= 0x80) high++;
        var best = ("", 0);
        foreach (var name in new[] { "windows-1251", "koi8-r", "cp866" })
        {
            var text = TextDecoding.Decode(bytes, name);
            var score = 0;
            foreach (var c in text) if (common.Contains(c)) score++;
            if (score > best.Item2) best = (name, score);
        }
        return best.Item2 * 100 >= high * 35 ? best.Item1 : "";
    }

    // For each byte, whether it is a letter (upper or lower case) in Windows-1252, Windows-1250 and ISO-8859-2.
    private static readonly bool[] Letter1252 = Letters(b => TextDecoding.Windows1252Char(b));
    private static readonly bool[] Letter1250 = Letters(Table("windows-1250"));
    private static readonly bool[] LetterIso2 = Letters(Table("iso-8859-2"));
    private static readonly bool[] LowerCentral = Lower(Table("windows-1250"), Table("iso-8859-2"));

    private static Func<byte, char> Table(string name)
    {
        var all = new byte[256];
        for (var i = 0; i < 256; i++) all[i] = (byte)i;
        var chars = TextDecoding.Decode(all, name);
        return b => chars[b];
    }

    private static bool[] Lower(Func<byte, char> one, Func<byte, char> other)
    {
        var lower = new bool[256];
        for (var i = 0x80; i < 256; i++) lower[i] = char.IsLower(one((byte)i)) || char.IsLower(other((byte)i));
        return lower;
    }

    private static bool[] Letters(Func<byte, char> decode)
    {
        var letters = new bool[256];
        for (var i = 0; i < 256; i++) letters[i] = decode((byte)i) is var c && (char.IsUpper(c) || char.IsLower(c));
        return letters;
    }

    // ì ò ù (and capitals) end Italian and French words (più, così, où); inside a word they are Czech
    // and Slovak ě ň ů read as Windows-1252. Ÿ inside a word is Polish ź.
    private static bool IsInsideWordSign(byte b) => b is 0xEC or 0xF2 or 0xF9 or 0xCC or 0xD2 or 0xD9 or 0x9F;

    /// <summary>
    /// Central European text read as Windows-1252 shows symbols inside words (ł → ³, ą → ¹, ż → ¿, ť → an
    /// unused byte) and ì ò ù in the middle of words (ě ň ů). Western text has neither: ¿ opens a Spanish
    /// question, ³ follows a unit (m³). Two such signs, in at least one word in ten with accented
    /// letters, make the hint; it names Windows-1250 unless only ISO-8859-2 reads the signs as letters.
    /// </summary>
    private static string? CentralEuropean(ReadOnlySpan<byte> bytes)
    {
        int signs = 0, only1250 = 0, onlyIso = 0, words = 0;
        var wordHasHigh = false;
        bool LetterAt(ReadOnlySpan<byte> s, int i) => i >= 0 && i < s.Length && Letter1252[s[i]] | IsAsciiLetter(s[i]) | (s[i] >= 0x80 && (Letter1250[s[i]] || LetterIso2[s[i]]));
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (!LetterAt(bytes, i))
            {
                if (wordHasHigh) words++;
                wordHasHigh = false;
                continue;
            }
            if (b < 0x80) continue;
            wordHasHigh = true;
            var before = LetterAt(bytes, i - 1);
            var after = LetterAt(bytes, i + 1);
            var symbolIn1252 = !Letter1252[b] && (Letter1250[b] || LetterIso2[b]);
            // "by³" is "był", "Złot±" "Złotą"; "m³" is a cubic metre, "Cola®" a brand.
            var endsAWord = LowerCentral[b] && !after && before && i >= 2 && char.IsLower((char)bytes[i - 1]) && char.IsLower((char)bytes[i - 2]);
            if (symbolIn1252 && ((before && after) || endsAWord))
            {
                signs++;
                if (Letter1250[b] && !LetterIso2[b]) only1250++;
                if (LetterIso2[b] && !Letter1250[b]) onlyIso++;
            }
            else if (IsInsideWordSign(b) && before && after) signs++;
        }
        if (wordHasHigh) words++;
        if (signs < 2 || signs * 10 < words) return null;
        return onlyIso > only1250 ? "iso-8859-2" : "windows-1250";
    }
}
