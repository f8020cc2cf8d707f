using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Imports;

/// <summary>The fields an import and its preview share, read and checked once: the file, format, mapping, currency.</summary>
public sealed record ImportForm(byte[] Bytes, string FileName, string? Format, CsvMapping? Mapping, Currency Currency, bool SkipInvalid)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ParseOptions Options => new(Currency, Mapping, Format == "qif" ? Mapping?.DateFormat : null);

    /// <summary>The form, or the problem that stops it (415 not multipart, 400 a missing file or a field that cannot be used).</summary>
    public static async Task<(ImportForm? Form, IResult? Problem)> ReadAsync(HttpRequest request, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var upload = await MultipartForms.ReadAsync(request, ct);
        if (upload.Problem is not null) return (null, upload.Problem);
        var form = upload.Form!;
        var v = new Validation();
        if (upload.File is null) v.Add("file", "A file is required in the multipart field 'file'.");
        string? format = form["format"].ToString() is { Length: > 0 } fmt ? fmt.Trim().ToLowerInvariant() : null;
        if (format == "qfx") format = "ofx";
        if (format is not (null or "csv" or "ofx" or "qif")) v.Add("format", "format must be csv, ofx or qif.");
        var skipInvalid = form["skipInvalid"].ToString() is { Length: > 0 } s && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1" || s.Equals("on", StringComparison.OrdinalIgnoreCase));
        CsvMapping? mapping = null;
        if (form["mapping"].ToString() is { Length: > 0 } mappingJson)
        {
            try { mapping = JsonSerializer.Deserialize<CsvMapping>(mappingJson, Json); }
            catch (JsonException ex) { v.Add("mapping", $"mapping is not valid JSON: {ex.Message}"); }
            if (mapping is not null) Check(mapping, v);
        }
        var userId = principal.UserId();
        var currencyCode = form["currency"].ToString() is { Length: > 0 } c ? c : await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultCurrency).FirstAsync(ct);
        if (!Currency.TryGet(currencyCode, out var currency)) v.Add("currency", $"'{currencyCode}' is not a supported currency.");
        if (!v.IsValid) return (null, TypedResults.ValidationProblem(v.Errors));
        await using var stream = upload.File!.OpenReadStream();
        var bytes = new byte[upload.File.Length];
        await stream.ReadExactlyAsync(bytes, ct);
        return (new ImportForm(bytes, Path.GetFileName(upload.File.FileName), format, mapping, currency, skipInvalid), null);
    }

    private static void Check(CsvMapping m, Validation v)
    {
        var namesColumns = (m.Date ?? m.Amount ?? m.Debit ?? m.Credit) is not null;
        if (namesColumns && (string.IsNullOrWhiteSpace(m.Date) || (string.IsNullOrWhiteSpace(m.Amount) && string.IsNullOrWhiteSpace(m.Debit) && string.IsNullOrWhiteSpace(m.Credit))))
            v.Add("mapping", "mapping must name the date column and the amount column (or the debit and credit columns).");
        if (m.DateFormat is { Length: > 40 }) v.Add("mapping", "mapping.dateFormat is too long.");
        if (m.HeaderLine is < 0) v.Add("mapping", "mapping.headerLine is the 1-based line of the header, or 0 when there is none.");
        if (m.Encoding is not null && TextDecoding.Normalize(m.Encoding) is null)
            v.Add("mapping", $"mapping.encoding '{(m.Encoding.Length > 40 ? m.Encoding[..40] + "…" : m.Encoding)}' is not a text encoding PayTrack can read. Use its usual name, for example {TextDecoding.Examples}.");
        if (CsvRecords.ParseDelimiter(m.Delimiter) == (char)0) v.Add("mapping", "mapping.delimiter must be one character, or \"tab\".");
        if (m.Sign is not null && !SignModes.Known.Contains(m.Sign)) v.Add("mapping", $"mapping.sign must be one of {string.Join(", ", SignModes.Known)}.");
        if (m.DecimalSeparator is not (null or "" or "." or ",")) v.Add("mapping", "mapping.decimalSeparator must be '.' or ','.");
        if (!string.IsNullOrWhiteSpace(m.Direction) && m.DebitValue is null) v.Add("mapping", "mapping.debitValue must name the value of the direction column that marks money going out.");
    }
}
