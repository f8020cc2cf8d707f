using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Categories;
using PayTrack.Features.Receipts;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Web;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses.Pages;

/// <summary>
/// One expense: edit (<see cref="UpdateExpense"/>), delete (<see cref="DeleteExpense"/>), and its
/// receipts — upload through <see cref="UploadReceipt"/> itself (the form's body is buffered so the
/// handler reads the same multipart stream the API gets), view and delete.
/// </summary>
[RequestSizeLimit(UploadReceipt.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadReceipt.MaxBytes + 1024 * 1024)]
public sealed class EditModel(PayTrackDb db, DomainEvents events, IBlobStore blobs, TimeProvider clock) : PageModel
{
    [BindProperty] public ExpenseForm Form { get; set; } = new();
    public ExpenseResponse Expense { get; private set; } = null!;
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Form = ExpenseForm.From(Expense);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await UpdateExpense.Handle(id, Form.ToRequest(), User, db, events, clock, ct);
        if (result.Result is ProblemHttpResult { StatusCode: 404 }) return NotFound();
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Form"))
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            return Page();
        }
        TempData["Flash"] = "Your changes are saved.";
        return Redirect($"/expenses/{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var result = await DeleteExpense.Handle(id, User, db, events, blobs, ct);
        if (result.Result is ProblemHttpResult) return NotFound();
        TempData["Flash"] = "The expense is deleted.";
        return Redirect("/expenses");
    }

    public async Task<IActionResult> OnPostReceiptAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        Request.Body.Position = 0; // buffered by WebUiSetup for UI uploads; the use case reads the multipart body itself
        var result = await UploadReceipt.Handle(id, Request, User, db, blobs, clock, ct);
        if (result.Result is ProblemHttpResult { StatusCode: 404 }) return NotFound();
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Receipt"))
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            Form = ExpenseForm.From(Expense);
            return Page();
        }
        TempData["Flash"] = "The receipt is attached.";
        return Redirect($"/expenses/{id}");
    }

    public async Task<IActionResult> OnPostDeleteReceiptAsync(Guid id, Guid receiptId, CancellationToken ct)
    {
        await DeleteReceipt.Handle(receiptId, User, db, blobs, ct);
        TempData["Flash"] = "The receipt is removed.";
        return Redirect($"/expenses/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if ((await GetExpense.Handle(id, User, db, ct)).Result is not Ok<ExpenseResponse> ok) return false;
        Expense = ok.Value!;
        Categories = (await ListCategories.Handle(User, db, ct)).Value!;
        return true;
    }

    public string CategoryName(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "Uncategorized";
}
