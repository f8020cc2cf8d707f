using System.Text;

namespace PayTrack.Infrastructure;

/// <summary>Writes CSV cells for files people open in spreadsheets.</summary>
public static class CsvText
{
    /// <summary>
    /// One cell: text a spreadsheet would run as a formula (starting with = + - @ tab or CR) gets a
    /// leading apostrophe; cells with separators, quotes or line breaks are quoted.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>A cell PayTrack itself produced (a number, a date): written as is, never neutralised.</summary>
    public static string Raw(string value) => value;

    public static string Line(params string[] cells) => string.Join(',', cells) + "\r\n";

    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
