using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Imports.Pages;

/// <summary>
/// The import wizard: upload; review what was detected (format, encoding, delimiter, header line), the
/// guessed columns (editable) and how each of the first rows would be read; import; see the result with
/// per-line errors. The uploaded file waits in the data folder under a one-time name tied to the user.
/// Review is <see cref="PreviewStatement.Preview"/> and the import <see cref="ImportStatement.ImportAsync"/>,
/// the same use cases the API runs.
/// </summary>
[RequestSizeLimit(ImportStatement.MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportStatement.MaxBytes)]
public sealed partial class IndexModel(PayTrackDb db, TimeProvider clock, DatabaseOptions dbOptions, IWebHostEnvironment env, PayTrack.Infrastructure.Outbox.DomainEvents events) : PageModel
{
    public enum Step { Upload, Review, Result }

    public Step Current { get; private set; } = Step.Upload;
    public PreviewResult? Preview { get; private set; }
    public ImportResult? Result { get; private set; }
    [BindProperty] public MappingForm Map { get; set; } = new();
    [BindProperty] public string? Pending { get; set; }
    [BindProperty] public string? FileName { get; set; }
    [BindProperty] public bool SkipInvalid { get; set; }
    [BindProperty] public string? Format { get; set; }
    /// <summary>The encoding the review on screen was read with: when the person picks another, the columns are guessed again.</summary>
    [BindProperty] public string? ReadAs { get; set; }

    /// <summary>The mapping as the form holds it; empty means "use what was detected".</summary>
    public sealed class MappingForm
    {
        public string? Date { get; set; }
        public string? Amount { get; set; }
        public string? Debit { get; set; }
        public string? Credit { get; set; }
        public string? Direction { get; set; }
        public string? DebitValue { get; set; }
        public string? Payee { get; set; }
        public string? Description { get; set; }
        public string? Category { get; set; }
        public string? Currency { get; set; }
        public string? DateFormat { get; set; }
        public string? DecimalSeparator { get; set; }
        public string? Sign { get; set; }
        public string? Encoding { get; set; }
        public string? Delimiter { get; set; }
        public int? HeaderLine { get; set; }
        /// <summary>Set once the person has seen the guesses: from then on the form's columns are used as they are.</summary>
        public bool Confirmed { get; set; }

        public CsvMapping? ToMapping()
        {
            static string? B(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
            var m = new CsvMapping(B(Date), B(Amount), B(Payee), B(Description), B(Category), B(Currency), B(DateFormat), B(DecimalSeparator), null,
                HeaderLine, B(Encoding), Delimiter is null or "" ? null : Delimiter, B(Debit), B(Credit), B(Direction), B(DebitValue), B(Sign));
            return m == new CsvMapping() ? null : m;
        }

        public void Fill(CsvMapping m, string? encoding)
        {
            (Date, Amount, Debit, Credit, Direction, DebitValue) = (m.Date, m.Amount, m.Debit, m.Credit, m.Direction, m.DebitValue);
            (Payee, Description, Category, Currency) = (m.Payee, m.Description, m.Category, m.Currency);
            (DateFormat, DecimalSeparator, Sign, Delimiter, HeaderLine) = (m.DateFormat, m.DecimalSeparator, m.Sign, m.Delimiter, m.HeaderLine);
            Encoding ??= encoding;
            Confirmed = true;
        }
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "Choose a file to import (CSV, OFX/QFX or QIF).");
            return Page();
        }
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
        Pending = Guid.NewGuid().ToString("N");
        FileName = Path.GetFileName(file.FileName);
        Directory.CreateDirectory(PendingDirectory());
        await System.IO.File.WriteAllBytesAsync(PendingPath(Pending), bytes, ct);
        Map = new MappingForm();
        return await ReviewAsync(bytes, ct);
    }

    /// <summary>Shows the review again with the person's changes to the mapping.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        var bytes = await PendingBytesAsync(ct);
        if (bytes is null) return Page();
        // Column names read in the old encoding would not match the header read in the new one.
        if (TextDecoding.Normalize(Map.Encoding) is { } chosen && ReadAs is not null && chosen != ReadAs)
            Map = new MappingForm { HeaderLine = Map.HeaderLine, Encoding = Map.Encoding, Delimiter = Map.Delimiter };
        return await ReviewAsync(bytes, ct);
    }

    /// <summary>Guesses the columns again, after the header line, encoding or delimiter changed.</summary>
    public async Task<IActionResult> OnPostRedetectAsync(CancellationToken ct)
    {
        var bytes = await PendingBytesAsync(ct);
        if (bytes is null) return Page();
        Map = new MappingForm { HeaderLine = Map.HeaderLine, Encoding = Map.Encoding, Delimiter = Map.Delimiter };
        return await ReviewAsync(bytes, ct);
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        var bytes = await PendingBytesAsync(ct);
        if (bytes is null) return Page();
        var form = await FormAsync(bytes, ct);
        var outcome = await ImportStatement.ImportAsync(form, User.UserId(), db, events, clock, ct);
        if (outcome.Result is not Ok<ImportResult> ok)
        {
            AddErrors(outcome.Result);
            return await ReviewAsync(bytes, ct);
        }
        Result = ok.Value!;
        Current = Step.Result;
        if (Result.Imported + Result.Incoming > 0 || Result.Failed == 0) System.IO.File.Delete(PendingPath(Pending!));
        return Page();
    }

    private async Task<IActionResult> ReviewAsync(byte[] bytes, CancellationToken ct)
    {
        var form = await FormAsync(bytes, ct);
        Preview = PreviewStatement.Preview(form);
        Format = Preview.Format;
        if (Preview.Mapping is { } used) Map.Fill(used, Preview.Encoding);
        else Map.Encoding ??= Preview.Encoding;
        if (Preview.Error is { } error) ModelState.AddModelError("", error);
        Current = Step.Review;
        return Page();
    }

    private async Task<ImportForm> FormAsync(byte[] bytes, CancellationToken ct)
    {
        var userId = User.UserId();
        var code = await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultCurrency).FirstAsync(ct);
        var format = Format is "csv" or "ofx" or "qif" ? Format : null;
        var mapping = Map.Confirmed ? Map.ToMapping()
            : Map.HeaderLine is not null || Map.Encoding is not null || !string.IsNullOrEmpty(Map.Delimiter)
                ? new CsvMapping(HeaderLine: Map.HeaderLine, Encoding: Map.Encoding, Delimiter: string.IsNullOrEmpty(Map.Delimiter) ? null : Map.Delimiter) : null;
        return new ImportForm(bytes, FileName ?? "statement", format, mapping, Currency.Get(code), SkipInvalid);
    }

    private async Task<byte[]?> PendingBytesAsync(CancellationToken ct)
    {
        if (Pending is null || !HexToken().IsMatch(Pending) || !System.IO.File.Exists(PendingPath(Pending)))
        {
            ModelState.AddModelError("", "That upload has expired; please choose the file again.");
            Current = Step.Upload;
            return null;
        }
        return await System.IO.File.ReadAllBytesAsync(PendingPath(Pending), ct);
    }

    /// <summary>Every refusal is shown at the top of the form, whatever field the use case named.</summary>
    private void AddErrors(IResult result)
    {
        var scratch = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary();
        UseCaseErrors.AddTo(scratch, result, "");
        foreach (var entry in scratch.Values)
            foreach (var e in entry.Errors) ModelState.AddModelError("", e.ErrorMessage);
    }

    private string PendingDirectory() =>
        Path.Combine(DatabaseSetup.ResolveDataDirectory(dbOptions, env), "tmp", "imports", User.UserId().ToString("N"));

    private string PendingPath(string token) => Path.Combine(PendingDirectory(), token + ".upload");

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexToken();
}
