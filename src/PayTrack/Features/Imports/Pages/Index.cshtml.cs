using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;
using PayTrack.Data;
using PayTrack.Features.Imports.Parsing;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Imports.Pages;

/// <summary>
/// Import a bank file in up to three steps: upload; for CSV, map its columns (the file waits in the
/// data folder under a one-time name tied to the user); see the result with per-line errors. The
/// import itself is <see cref="ImportStatement.Handle"/>, given the same form fields the API takes.
/// </summary>
[RequestSizeLimit(ImportStatement.MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportStatement.MaxBytes)]
public sealed partial class IndexModel(PayTrackDb db, TimeProvider clock, DatabaseOptions dbOptions, IWebHostEnvironment env) : PageModel
{
    public enum Step { Upload, Map, Result }

    public Step Current { get; private set; } = Step.Upload;
    public IReadOnlyList<string> Columns { get; private set; } = [];
    public IReadOnlyList<string[]> Preview { get; private set; } = [];
    public ImportResult? Result { get; private set; }
    [BindProperty] public MappingForm Map { get; set; } = new();
    [BindProperty] public string? Pending { get; set; }
    [BindProperty] public string? FileName { get; set; }
    [BindProperty] public bool SkipInvalid { get; set; }
    [BindProperty] public string? Format { get; set; }

    public sealed class MappingForm
    {
        public string? Date { get; set; }
        public string? Amount { get; set; }
        public string? Payee { get; set; }
        public string? Description { get; set; }
        public string? Category { get; set; }
        public string? Currency { get; set; }
        public string? DateFormat { get; set; }
        public string? DecimalSeparator { get; set; } = ".";
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "Choose a file to import (CSV, OFX/QFX or QIF).");
            return Page();
        }
        var format = string.IsNullOrEmpty(Format) ? null : Format;
        string? content = null;
        if (format is null)
        {
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            content = await reader.ReadToEndAsync(ct);
            format = ImportStatement.Detect(content, file.FileName);
        }
        if (format != "csv") return await ImportAsync(Request.Form, ct); // OFX and QIF carry their own structure

        // CSV: keep the file for the mapping step.
        if (content is null)
        {
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            content = await reader.ReadToEndAsync(ct);
        }
        Pending = Guid.NewGuid().ToString("N");
        FileName = Path.GetFileName(file.FileName);
        Directory.CreateDirectory(PendingDirectory());
        await System.IO.File.WriteAllTextAsync(PendingPath(Pending), content, ct);
        ShowMapping(content);
        return Page();
    }

    public async Task<IActionResult> OnPostMapAsync(CancellationToken ct)
    {
        if (Pending is null || !HexToken().IsMatch(Pending) || !System.IO.File.Exists(PendingPath(Pending)))
        {
            ModelState.AddModelError("", "That upload has expired; please choose the file again.");
            return Page();
        }
        var content = await System.IO.File.ReadAllTextAsync(PendingPath(Pending), ct);
        var mapping = new CsvMapping(Blank(Map.Date), Blank(Map.Amount), Blank(Map.Payee), Blank(Map.Description), Blank(Map.Category),
            Blank(Map.Currency), Blank(Map.DateFormat), Blank(Map.DecimalSeparator));
        var bytes = Encoding.UTF8.GetBytes(content);
        var files = new FormFileCollection
        {
            new FormFile(new MemoryStream(bytes), 0, bytes.Length, "file", FileName ?? "statement.csv") { Headers = new HeaderDictionary(), ContentType = "text/csv" },
        };
        var fields = new Dictionary<string, StringValues>
        {
            ["format"] = "csv",
            ["mapping"] = JsonSerializer.Serialize(mapping, JsonSerializerOptions.Web),
            ["skipInvalid"] = SkipInvalid ? "true" : "false",
        };
        var outcome = await ImportAsync(new FormCollection(fields, files), ct);
        if (Result is { Imported: > 0 } || Result is { Failed: 0 }) System.IO.File.Delete(PendingPath(Pending));
        if (Current != Step.Result) ShowMapping(content);
        return outcome;
    }

    /// <summary>Runs the API's import on these form fields (the page's own request carries them, as the API's would).</summary>
    private async Task<IActionResult> ImportAsync(IFormCollection form, CancellationToken ct)
    {
        Request.Form = form;
        var result = await ImportStatement.Handle(Request, User, db, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "")) return Page();
        Result = ((Ok<ImportResult>)result.Result).Value!;
        Current = Step.Result;
        return Page();
    }

    private void ShowMapping(string content)
    {
        Current = Step.Map;
        var lines = content.TrimStart('\uFEFF').Split('\n', 6).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) { ModelState.AddModelError("", "The file is empty."); Current = Step.Upload; return; }
        var separator = new[] { ',', ';', '\t' }.MaxBy(c => lines[0].Count(x => x == c));
        Columns = Split(lines[0], separator);
        Preview = lines.Skip(1).Take(3).Select(l => Split(l, separator).ToArray()).ToList();
        // First guesses from the header names; the person confirms or changes them.
        Map.Date ??= Guess("date", "booking", "posted");
        Map.Amount ??= Guess("amount", "sum", "value", "betrag");
        Map.Payee ??= Guess("payee", "merchant", "name", "counterparty");
        Map.Description ??= Guess("description", "memo", "details", "text");
        Map.Category ??= Guess("category");
        Map.Currency ??= Guess("currency");
        if (Preview.Count > 0 && Map.Amount is { } amountColumn && Columns.ToList().IndexOf(amountColumn) is var i and >= 0 && i < Preview[0].Length
            && Preview[0][i].Contains(',', StringComparison.Ordinal) && !Preview[0][i].Contains('.', StringComparison.Ordinal))
            Map.DecimalSeparator = ",";
    }

    private string? Guess(params string[] words) =>
        Columns.FirstOrDefault(c => words.Any(w => c.Equals(w, StringComparison.OrdinalIgnoreCase)))
        ?? Columns.FirstOrDefault(c => words.Any(w => c.Contains(w, StringComparison.OrdinalIgnoreCase)));

    private static List<string> Split(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"') { if (quoted && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; } else quoted = !quoted; }
            else if (c == separator && !quoted) { cells.Add(cell.ToString().Trim()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString().Trim());
        return cells;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private string PendingDirectory() =>
        Path.Combine(DatabaseSetup.ResolveDataDirectory(dbOptions, env), "tmp", "imports", User.UserId().ToString("N"));

    private string PendingPath(string token) => Path.Combine(PendingDirectory(), token + ".csv");

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexToken();
}
