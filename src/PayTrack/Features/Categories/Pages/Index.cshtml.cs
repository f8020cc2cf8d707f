using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Categories.Pages;

/// <summary>Manage categories (one level of sub-categories) with the API's create, update and delete handlers.</summary>
public sealed class IndexModel(PayTrackDb db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];
    [BindProperty] public CategoryForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }

    public sealed class CategoryForm
    {
        public string? Name { get; set; }
        public Guid? ParentId { get; set; }
        public string? Color { get; set; } = "#00895a";
        public Guid? ReassignTo { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Edit is { } id)
        {
            var c = Categories.FirstOrDefault(x => x.Id == id);
            if (c is null) return NotFound();
            Form = new CategoryForm { Name = c.Name, ParentId = c.ParentId, Color = c.Color ?? "#00895a" };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var color = string.IsNullOrWhiteSpace(Form.Color) ? null : Form.Color;
        IResult result = Edit is { } id
            ? (await UpdateCategory.Handle(id, new UpdateCategoryRequest(Form.Name, Form.ParentId, color), User, db, clock, ct)).Result
            : (await CreateCategory.Handle(new CreateCategoryRequest(Form.Name, Form.ParentId, color), User, db, clock, ct)).Result;
        if (UseCaseErrors.AddTo(ModelState, result, "Form", new Dictionary<string, string> { ["category-name-taken"] = "name" }))
        {
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = Edit is null ? $"Category “{Form.Name?.Trim()}” is added." : "The category is saved.";
        return Redirect("/categories");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid? reassignTo, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await DeleteCategory.Handle(id, reassignTo, User, db, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, ""))
        {
            TempData["Flash"] = string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)) + " Choose where its expenses go, then delete again.";
            return Redirect($"/categories?edit={id}#delete");
        }
        TempData["Flash"] = "The category is deleted.";
        return Redirect("/categories");
    }

    private async Task LoadAsync(CancellationToken ct) => Categories = (await ListCategories.Handle(User, db, ct)).Value!;
}
