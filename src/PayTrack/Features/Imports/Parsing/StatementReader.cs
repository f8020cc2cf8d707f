namespace PayTrack.Features.Imports.Parsing;

/// <summary>A file read end to end: its format, encoding, parse result and, for CSV, its table and the guessed mapping.</summary>
public sealed record StatementFile(string Format, string Encoding, ParseResult Result, CsvStatementParser.Details? Csv);

/// <summary>The one pure entry from bytes to rows, shared by the import and its preview.</summary>
public static class StatementReader
{
    /// <summary>
    /// Decodes <paramref name="bytes"/>, detects the format when not given, parses. The encoding is, in
    /// order: the mapping's; the one a BOM names; for OFX, the one the file declares (unless it declares
    /// a legacy code page and the text is valid UTF-8, which no legacy text is by chance); otherwise
    /// detected (UTF-8 when valid, else Windows-1252). A file read as Windows-1252 by default that looks
    /// Central European or Cyrillic gets a warning saying so (line 0: the whole file).
    /// </summary>
    public static StatementFile Read(ReadOnlySpan<byte> bytes, string? fileName, string? format, ParseOptions options)
    {
        var (encoding, note, byDefault) = ChooseEncoding(bytes, fileName, format, options.Mapping?.Encoding);
        var text = TextDecoding.Decode(bytes, encoding);
        format = format switch { "qfx" => "ofx", null => Detect(text, fileName), _ => format };
        ParseResult result;
        CsvStatementParser.Details? csv = null;
        switch (format)
        {
            case "ofx": result = OfxParser.Parse(text, options); break;
            case "qif": result = QifParser.Parse(text, options); break;
            default: result = CsvStatementParser.Parse(text, options, out csv); break;
        }
        var hint = byDefault && encoding == TextDecoding.Windows1252 ? EncodingHint.ForWindows1252(bytes) : null;
        var warning = (note, hint) switch
        {
            (null, _) => hint,
            (_, null) => $"{note} It was read as {TextDecoding.Label(encoding)}.",
            _ => $"{note} {hint}",
        };
        if (warning is not null) result.Warnings.Insert(0, new ImportError(0, warning));
        return new StatementFile(format, encoding, result, csv);
    }

    /// <summary>The encoding to read the file with, a note about a declaration that was not followed, and whether the encoding is only the default guess.</summary>
    private static (string Encoding, string? Note, bool ByDefault) ChooseEncoding(ReadOnlySpan<byte> bytes, string? fileName, string? format, string? asked)
    {
        if (TextDecoding.Normalize(asked) is { } chosen) return (chosen, null, false);
        if (TextDecoding.Bom(bytes) is { } bom) return (bom, null, false);
        var detected = TextDecoding.Detect(bytes);
        if (detected is not (TextDecoding.Utf8 or TextDecoding.Windows1252)) return (detected, null, false);
        // Headers are ASCII: reading the start as Latin-1 finds them whatever the rest is in.
        var head = System.Text.Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 4096)]);
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        var ofx = format is "ofx" or "qfx" || (format is null && (ext is ".ofx" or ".qfx" || OfxParser.LooksLikeOfx(head)));
        if (!ofx) return (detected, null, true);
        var (declared, said) = OfxParser.DeclaredEncoding(head);
        // As browsers do: a file saying US-ASCII is detected (ASCII is a part of both defaults), and one saying
        // ISO-8859-1 means Windows-1252 (€ and curly quotes at 0x80–0x9F).
        if (declared == "us-ascii") return (detected, null, true);
        if (declared == TextDecoding.Latin1) declared = TextDecoding.Windows1252;
        if (declared is null)
            return said is null ? (detected, null, true)
                : (detected, $"The file says its text is in '{said}', which PayTrack cannot read.", true);
        if (declared is TextDecoding.Utf8 && detected == TextDecoding.Windows1252)
            return (detected, "The file says its text is UTF-8, but it is not.", true);
        var ascii = !bytes.ContainsAnyInRange((byte)0x80, (byte)0xFF);
        if (declared is not TextDecoding.Utf8 && detected == TextDecoding.Utf8 && !ascii)
            return (detected, null, false); // a common slip of OFX writers; before this rule such files were read as UTF-8 too
        // Many OFX writers say CHARSET:1252 whatever they hold: that is no more a choice than the default.
        return (declared, null, declared == TextDecoding.Windows1252);
    }

    public static string Detect(string content, string? fileName)
    {
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (ext is ".ofx" or ".qfx") return "ofx";
        if (ext == ".qif") return "qif";
        var head = content.Length > 4096 ? content[..4096] : content;
        if (OfxParser.LooksLikeOfx(head)) return "ofx";
        if (QifParser.LooksLikeQif(head)) return "qif";
        return "csv";
    }
}
