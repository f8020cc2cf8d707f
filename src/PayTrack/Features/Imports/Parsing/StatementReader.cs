namespace PayTrack.Features.Imports.Parsing;

/// <summary>A file read end to end: its format, encoding, parse result and, for CSV, its table and the guessed mapping.</summary>
public sealed record StatementFile(string Format, string Encoding, ParseResult Result, CsvStatementParser.Details? Csv);

/// <summary>The one pure entry from bytes to rows, shared by the import and its preview.</summary>
public static class StatementReader
{
    /// <summary>Decodes <paramref name="bytes"/> (the mapping's encoding, or detected), detects the format when not given, parses.</summary>
    public static StatementFile Read(ReadOnlySpan<byte> bytes, string? fileName, string? format, ParseOptions options)
    {
        var encoding = TextDecoding.Normalize(options.Mapping?.Encoding) ?? TextDecoding.Detect(bytes);
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
        return new StatementFile(format, encoding, result, csv);
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
