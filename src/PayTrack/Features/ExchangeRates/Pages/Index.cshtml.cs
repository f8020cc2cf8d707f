using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Imports;
using PayTrack.Infrastructure;
using PayTrack.Domain;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.ExchangeRates.Pages;

/// <summary>
/// Exchange rates: everyone sees the rates reports use; administrators enter one (<see cref="SetExchangeRates"/>)
/// or load a file (<see cref="ImportExchangeRates"/>, which reads the ECB's CSV and ZIP). A "missing rate"
/// link elsewhere lands here with the currency and date filled in.
/// </summary>
[RequestSizeLimit(ImportExchangeRates.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportExchangeRates.MaxBytes + 1024 * 1024)]
public sealed class IndexModel(PayTrackDb db, ExchangeRateCache cache, TimeProvider clock) : PageModel
{
    public const string EcbHistoryZip = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip";
    public const string EcbDailyZip = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip";

    [BindProperty(SupportsGet = true)] public string? Base { get; set; }
    [BindProperty(SupportsGet = true)] public string? Quote { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    [BindProperty] public RateForm Form { get; set; } = new();
    public IReadOnlyList<ExchangeRateResponse> Rates { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public ImportResult? Imported { get; private set; }
    public bool IsAdmin => User.IsInRole(Roles.Admin);

    public sealed class RateForm
    {
        public string? Date { get; set; }
        public string? Base { get; set; }
        public string? Quote { get; set; }
        public string? Rate { get; set; }
    }

    public async Task OnGetAsync(string? date, CancellationToken ct)
    {
        // From a "missing rate" link: one unit of the missing currency in the report's currency.
        Form = new RateForm { Date = date, Base = Base, Quote = Quote };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsAdmin) return Forbid();
        ModelState.Clear();
        var request = new SetExchangeRatesRequest([new RateInput(Form.Date, Form.Base, Form.Quote, AmountInput.Normalize(Form.Rate))]);
        var result = await SetExchangeRates.Handle(request, db, cache, clock, ct);
        if (result.Result is ValidationProblem v)
        {
            foreach (var (field, messages) in v.ProblemDetails.Errors)
                foreach (var message in messages) ModelState.AddModelError("", UseCaseErrors.Humanize(field, message));
            await LoadAsync(ct);
            return Page();
        }
        var from = DateOnly.TryParseExact(Form.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? Display.Date(day) : Form.Date;
        TempData["Flash"] = $"Saved: 1 {Form.Base} = {Form.Rate?.Trim()} {Form.Quote} from {from}. Reports and budgets use it now.";
        return Redirect("/rates");
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        if (!IsAdmin) return Forbid();
        ModelState.Clear();
        var result = await ImportExchangeRates.Handle(Request, db, cache, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, ""))
        {
            await LoadAsync(ct);
            return Page();
        }
        var imported = UseCaseResults.ValueOf<ImportResult>(result.Result);
        if (imported.Failed > 0)
        {
            Imported = imported;
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = $"Loaded {imported.Imported} rates" + (imported.Skipped > 0 ? $" ({imported.Skipped} cells without a rate, or in a currency PayTrack does not use, were skipped)." : ".");
        return Redirect("/rates");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var result = await ListExchangeRates.Handle(NullIfEmpty(Base), NullIfEmpty(Quote), 50, Cursor, db, ct);
        if (result.Result is Ok<Page<ExchangeRateResponse>> ok)
        {
            Rates = ok.Value!.Items;
            NextCursor = ok.Value.NextCursor;
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
