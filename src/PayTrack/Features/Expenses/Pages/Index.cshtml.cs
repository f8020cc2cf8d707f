using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Categories;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Web;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses.Pages;

/// <summary>
/// The expense list with the API's filters and keyset paging (<see cref="ListExpenses"/>), paged both ways
/// (the cursors of earlier pages travel in the link, <c>trail</c>) with a total (<see cref="CountExpenses"/>);
/// bulk edits of the ticked rows (<see cref="UpdateExpenses"/>, <see cref="DeleteExpenses"/>); and its CSV export.
/// </summary>
public sealed class IndexModel(PayTrackDb db, DomainEvents events, IBlobStore blobs, TimeProvider clock) : PageModel
{
    public const int PageSize = 25;
    private const string FirstPage = "-";

    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? CategoryId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tag { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? MinAmount { get; set; }
    [BindProperty(SupportsGet = true)] public string? MaxAmount { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    /// <summary>The cursors of the pages before this one, oldest first ("-" is the first page), joined by '~'.</summary>
    [BindProperty(SupportsGet = true)] public string? Trail { get; set; }

    public IReadOnlyList<ExpenseResponse> Items { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public int Total { get; private set; }
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];
    public bool Filtered => From is not null || To is not null || CategoryId is not null || Tag is not null || Q is not null || MinAmount is not null || MaxAmount is not null || Kind is not null;

    public List<string> TrailParts => string.IsNullOrEmpty(Trail) ? [] : Trail.Split('~').ToList();
    public int PageNumber => TrailParts.Count + 1;
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Categories = (await ListCategories.Handle(User, db, ct)).Value!;
        var result = await ListExpenses.Handle(From, To, CategoryId, Tag, Q, Amount(MinAmount), Amount(MaxAmount), PageSize, Cursor, User, db, ct, Kind);
        if (result.Result is ValidationProblem v && v.ProblemDetails.Errors.ContainsKey("cursor"))
            return Redirect(Link(null, null)); // an old or edited page link: start again from the newest
        if (AddErrors(result.Result)) return Page();
        var page = UseCaseResults.ValueOf<Page<ExpenseResponse>>(result.Result);
        Items = page.Items;
        NextCursor = page.NextCursor;
        Total = UseCaseResults.ValueOf<int>((await CountExpenses.Handle(From, To, CategoryId, Tag, Q, Amount(MinAmount), Amount(MaxAmount), Kind, User, db, ct)).Result);
        return Page();
    }

    /// <summary>The ticked rows: set a category or kind, add a tag, or delete them — one request, one transaction.</summary>
    public async Task<IActionResult> OnPostBulkAsync(List<Guid> ids, string? action, Guid? bulkCategoryId, string? bulkTag, string? bulkKind, string? back, CancellationToken ct)
    {
        var returnTo = back is not null && back.StartsWith("/expenses", StringComparison.Ordinal) && Url.IsLocalUrl(back) ? back : "/expenses";
        if (ids.Count == 0)
        {
            TempData["Flash"] = "Tick the entries to change first.";
            return Redirect(returnTo);
        }
        IResult result = action switch
        {
            "delete" => (await DeleteExpenses.Handle(new DeleteExpensesRequest(ids), User, db, events, blobs, ct)).Result,
            "category" => (await UpdateExpenses.Handle(new UpdateExpensesRequest(ids, new ExpenseChanges(bulkCategoryId, null), null), User, db, events, clock, ct)).Result,
            "kind" => (await UpdateExpenses.Handle(new UpdateExpensesRequest(ids, new ExpenseChanges(null, bulkKind), null), User, db, events, clock, ct)).Result,
            _ => (await UpdateExpenses.Handle(new UpdateExpensesRequest(ids, null, [bulkTag]), User, db, events, clock, ct)).Result,
        };
        TempData["Flash"] = result switch
        {
            Ok<DeleteExpensesResponse> d => $"{Entries(d.Value!.Deleted)} deleted.",
            Ok<UpdateExpensesResponse> u => $"{Entries(u.Value!.Updated)} changed.",
            ProblemHttpResult { StatusCode: 404 } => "Some of those entries no longer exist; nothing was changed.",
            ValidationProblem when action == "category" => "Choose the category to set.",
            ValidationProblem when action == "kind" => "Choose money in or money out.",
            ValidationProblem when action is not "delete" => "Type the tag to add.",
            _ => "Nothing was changed.",
        };
        return Redirect(returnTo);
    }

    /// <summary>The same filters as CSV, from <see cref="ExportExpenses"/>.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var result = await ExportExpenses.Handle("csv", From, To, CategoryId, Tag, Q, Amount(MinAmount), Amount(MaxAmount), User, db, ct, Kind);
        if (result.Result is ValidationProblem) return RedirectToPage();
        return new HttpResultAction(result.Result);
    }

    private bool AddErrors(IResult result)
    {
        if (result is not ValidationProblem v) return false;
        foreach (var (field, messages) in v.ProblemDetails.Errors)
        {
            // The amount filters' messages name "amount"; say which of the two it was. Dates already name their field.
            var label = field switch { "minAmount" => "Min amount", "maxAmount" => "Max amount", _ => null };
            foreach (var m in messages)
                ModelState.AddModelError(field, label is null ? UseCaseErrors.Humanize(field, m) : $"{label}: type an amount such as 12.50.");
        }
        return true;
    }

    private static string? Amount(string? typed) => AmountInput.Normalize(typed);
    private static string Entries(int n) => n == 1 ? "1 entry" : $"{n} entries";

    public string CategoryName(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "Uncategorized";
    public string? CategoryColor(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Color;

    public Dictionary<string, string?> Query(string? cursor = null, string? trail = null) => new()
    {
        ["from"] = From, ["to"] = To, ["categoryId"] = CategoryId?.ToString(), ["tag"] = Tag, ["q"] = Q,
        ["minAmount"] = MinAmount, ["maxAmount"] = MaxAmount, ["kind"] = Kind, ["cursor"] = cursor, ["trail"] = trail,
    };

    public string Link(string? cursor, string? trail, string? handler = null)
    {
        var q = Query(cursor, trail).Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}").ToList();
        if (handler is not null) q.Insert(0, "handler=" + handler);
        return "/expenses" + (q.Count > 0 ? "?" + string.Join("&", q) : "");
    }

    /// <summary>The next (older) page: this page's cursor joins the trail.</summary>
    public string OlderLink() => Link(NextCursor, string.Join('~', TrailParts.Append(Cursor ?? FirstPage)));

    /// <summary>The previous (newer) page: the trail's last cursor, the trail without it.</summary>
    public string? NewerLink()
    {
        var parts = TrailParts;
        if (parts.Count == 0) return null;
        var previous = parts[^1];
        return Link(previous == FirstPage ? null : previous, parts.Count > 1 ? string.Join('~', parts.Take(parts.Count - 1)) : null);
    }

    public string CurrentLink() => Link(Cursor, Trail);
}
