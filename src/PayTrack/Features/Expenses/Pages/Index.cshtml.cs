using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Categories;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Expenses.Pages;

/// <summary>The expense list with the API's filters and keyset paging (<see cref="ListExpenses"/>), and its CSV export.</summary>
public sealed class IndexModel(PayTrackDb db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? CategoryId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tag { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? MinAmount { get; set; }
    [BindProperty(SupportsGet = true)] public string? MaxAmount { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public IReadOnlyList<ExpenseResponse> Items { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];
    public bool Filtered => From is not null || To is not null || CategoryId is not null || Tag is not null || Q is not null || MinAmount is not null || MaxAmount is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Categories = (await ListCategories.Handle(User, db, ct)).Value!;
        var result = await ListExpenses.Handle(From, To, CategoryId, Tag, Q, MinAmount, MaxAmount, 25, Cursor, User, db, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "")) return;
        var page = ((Ok<Page<ExpenseResponse>>)result.Result).Value!;
        Items = page.Items;
        NextCursor = page.NextCursor;
    }

    /// <summary>The same filters as CSV, from <see cref="ExportExpenses"/>.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var result = await ExportExpenses.Handle("csv", From, To, CategoryId, Tag, Q, MinAmount, MaxAmount, User, db, ct);
        if (result.Result is ValidationProblem) return RedirectToPage();
        return new HttpResultAction(result.Result);
    }

    public string CategoryName(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "Uncategorized";
    public string? CategoryColor(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Color;

    public Dictionary<string, string?> Query(string? cursor = null) => new()
    {
        ["from"] = From, ["to"] = To, ["categoryId"] = CategoryId?.ToString(), ["tag"] = Tag, ["q"] = Q,
        ["minAmount"] = MinAmount, ["maxAmount"] = MaxAmount, ["cursor"] = cursor,
    };
}
