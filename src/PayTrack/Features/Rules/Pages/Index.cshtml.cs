using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Categories;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Rules.Pages;

/// <summary>
/// Rules in the order they run: create, edit, move up or down, delete, "test this rule" (a dry run over the
/// existing expenses) and apply — each through the Rules use cases the API maps.
/// </summary>
public sealed class IndexModel(PayTrackDb db, Sql sql, TimeProvider clock) : PageModel
{
    public const int ConditionRows = 3;

    public IReadOnlyList<RuleResponse> Rules { get; private set; } = [];
    public IReadOnlyList<CategoryResponse> Categories { get; private set; } = [];
    [BindProperty] public RuleForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }
    /// <summary>The result of "test this rule" on the form, shown above its buttons.</summary>
    public TestRuleResponse? TestResult { get; private set; }

    public sealed class RuleForm
    {
        public string? Name { get; set; }
        public string Match { get; set; } = "all";
        public List<ConditionInput> Conditions { get; set; } = [];
        public Guid? SetCategoryId { get; set; }
        public string? AddTags { get; set; }

        public CreateRuleRequest ToRequest() => new(Name, Match,
            Conditions.Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => new RuleCondition(c.Field, c.Op, AmountValue(c))).ToList(),
            SetCategoryId,
            string.IsNullOrWhiteSpace(AddTags) ? [] : AddTags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => (string?)t).ToList());

        private static string? AmountValue(ConditionInput c) => c.Field == "amount" ? AmountInput.Normalize(c.Value) : c.Value?.Trim();
    }

    public sealed class ConditionInput
    {
        public string Field { get; set; } = "payee";
        public string Op { get; set; } = "contains";
        public string? Value { get; set; }
    }

    public static readonly IReadOnlyList<(string Value, string Label)> Fields = [("payee", "Payee"), ("description", "Description"), ("amount", "Amount")];
    public static readonly IReadOnlyList<(string Value, string Label)> Ops =
        [("contains", "contains"), ("equals", "is exactly"), ("regex", "matches the pattern"), ("gt", "is more than"), ("lt", "is less than")];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Edit is { } id)
        {
            var rule = Rules.FirstOrDefault(r => r.Id == id);
            if (rule is null) return NotFound();
            Form = new RuleForm
            {
                Name = rule.Name, Match = rule.Match, SetCategoryId = rule.SetCategoryId, AddTags = string.Join(", ", rule.AddTags),
                Conditions = rule.Conditions.Select(c => new ConditionInput { Field = c.Field ?? "payee", Op = c.Op ?? "contains", Value = c.Value }).ToList(),
            };
        }
        PadConditions();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        IResult result = Edit is { } id
            ? (await UpdateRule.Handle(id, Form.ToRequest(), User, db, ct)).Result
            : (await CreateRule.Handle(Form.ToRequest(), User, db, clock, ct)).Result;
        if (result is ProblemHttpResult { StatusCode: 404 }) return NotFound();
        if (AddErrors(result)) return await RedisplayAsync(ct);
        var saved = UseCaseResults.ValueOf<RuleResponse>(result);
        var test = UseCaseResults.ValueOf<TestRuleResponse>((await TestRule.Handle(Form.ToRequest(), User, db, sql, clock, ct)).Result);
        TempData["Flash"] = $"Rule “{saved.Name}” is saved. It applies to expenses you add or import from now on."
            + (test.WouldChange > 0 ? $" It would change {Expenses(test.WouldChange)} you already have: use “Apply” to change them." : "");
        return Redirect("/rules");
    }

    /// <summary>"Test this rule": what the rule on the form would change, without saving anything.</summary>
    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await TestRule.Handle(Form.ToRequest(), User, db, sql, clock, ct);
        if (!AddErrors(result.Result)) TestResult = UseCaseResults.ValueOf<TestRuleResponse>(result.Result);
        return await RedisplayAsync(ct);
    }

    public async Task<IActionResult> OnPostApplyAsync(Guid id, CancellationToken ct)
    {
        var result = await ApplyRule.Handle(id, User, db, sql, clock, ct);
        if (result.Result is not Ok<ApplyRulesResponse> ok) return NotFound();
        TempData["Flash"] = ok.Value!.Changed == 0 ? "No expense needed changing." : $"{Sentence(Expenses(ok.Value.Changed))} changed.";
        return Redirect("/rules");
    }

    public async Task<IActionResult> OnPostApplyAllAsync(CancellationToken ct)
    {
        var result = await ApplyRules.Handle(User, db, sql, clock, ct);
        TempData["Flash"] = result.Value!.Changed == 0 ? "Your expenses already follow your rules." : $"{Sentence(Expenses(result.Value.Changed))} changed.";
        return Redirect("/rules");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var result = await DeleteRule.Handle(id, User, db, ct);
        if (result.Result is ProblemHttpResult) return NotFound();
        TempData["Flash"] = "The rule is deleted. Expenses it already changed keep their category and tags.";
        return Redirect("/rules");
    }

    /// <summary>Moves a rule one place up or down: the first rule that sets a category wins.</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid id, string direction, CancellationToken ct)
    {
        var ids = (await ListRules.Handle(User, db, ct)).Value!.Select(r => r.Id).ToList();
        var at = ids.IndexOf(id);
        if (at < 0) return NotFound();
        var to = direction == "up" ? at - 1 : at + 1;
        if (to >= 0 && to < ids.Count)
        {
            (ids[at], ids[to]) = (ids[to], ids[at]);
            await ReorderRules.Handle(new ReorderRulesRequest(ids), User, db, ct);
        }
        return Redirect($"/rules#rule-{id}");
    }

    private async Task<IActionResult> RedisplayAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        PadConditions();
        return Page();
    }

    /// <summary>Errors next to the field; a condition's error names its row, in words rather than API terms.</summary>
    private bool AddErrors(IResult result)
    {
        if (result is not ValidationProblem v) return UseCaseErrors.AddTo(ModelState, result, "Form");
        foreach (var (field, messages) in v.ProblemDetails.Errors)
            foreach (var message in messages)
            {
                var text = field switch
                {
                    "conditions" => "Give at least one condition (a value to look for).",
                    "setCategoryId" when message.StartsWith("A rule must", StringComparison.Ordinal) => "Choose a category to set, or tags to add (or both).",
                    _ when field.StartsWith("conditions[", StringComparison.Ordinal) && message.StartsWith("op must", StringComparison.Ordinal) =>
                        "This comparison does not fit the field: text can contain, be exactly or match a pattern; an amount can be exactly, more than or less than.",
                    _ when field.StartsWith("conditions[", StringComparison.Ordinal) => UseCaseErrors.Sentence(message.Replace("value ", "The value ", StringComparison.Ordinal)),
                    _ => UseCaseErrors.Humanize(field, message),
                };
                ModelState.AddModelError(UseCaseErrors.FieldName("Form", field), text);
            }
        return true;
    }

    private void PadConditions()
    {
        // Blank rows were dropped from the request, so errors at conditions[i] refer to the filled rows in order.
        Form.Conditions = Form.Conditions.Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToList();
        while (Form.Conditions.Count < ConditionRows) Form.Conditions.Add(new ConditionInput());
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rules = (await ListRules.Handle(User, db, ct)).Value!;
        Categories = (await ListCategories.Handle(User, db, ct)).Value!;
    }

    public string CategoryName(Guid? id) => Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "(a deleted category)";

    public static string Describe(RuleCondition c)
    {
        var field = Fields.FirstOrDefault(f => f.Value == c.Field).Label ?? c.Field;
        var op = Ops.FirstOrDefault(o => o.Value == c.Op).Label ?? c.Op;
        return c.Field == "amount" ? $"{field} {op} {c.Value}" : $"{field} {op} “{c.Value}”";
    }

    public static string Expenses(int n) => n == 1 ? "1 expense" : $"{n} expenses";
    private static string Sentence(string s) => UseCaseErrors.Sentence(s);
}
