using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Webhooks.Pages;

/// <summary>The caller's webhooks: subscribe (the secret is shown once), delete; through the API's use cases.</summary>
public sealed class IndexModel(PayTrackDb db, WebhookOptions options, TimeProvider clock) : PageModel
{
    public IReadOnlyList<WebhookResponse> Hooks { get; private set; } = [];
    /// <summary>The secret of the webhook just created (shown once).</summary>
    public CreatedWebhookResponse? Created { get; private set; }
    [BindProperty] public string? HookUrl { get; set; }
    [BindProperty] public List<string> Events { get; set; } = [];
    [BindProperty] public string? Description { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = (await CreateWebhook.Handle(new CreateWebhookRequest(HookUrl, Events, Description), User, db, options, clock, ct)).Result;
        if (!UseCaseErrors.AddTo(ModelState, result, "") && result is Created<CreatedWebhookResponse> created) Created = created.Value;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await DeleteWebhook.Handle(id, User, db, ct);
        TempData["Flash"] = "The webhook is deleted.";
        return Redirect("/webhooks");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Hooks = (await ListWebhooks.Handle(200, null, User, db, ct)).Result is Ok<Infrastructure.Page<WebhookResponse>> ok ? ok.Value!.Items : [];
}
