using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;

namespace PayTrack.Features.Webhooks.Pages;

/// <summary>One webhook's delivery log (<see cref="ListWebhookDeliveries"/>): one row per attempt, newest first.</summary>
public sealed class DeliveriesModel(PayTrackDb db) : PageModel
{
    public WebhookResponse Hook { get; private set; } = null!;
    public IReadOnlyList<WebhookDeliveryResponse> Items { get; private set; } = [];
    public string? NextCursor { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if ((await ListWebhooks.Handle(200, null, User, db, ct)).Result is not Ok<Infrastructure.Page<WebhookResponse>> hooks
            || hooks.Value!.Items.FirstOrDefault(h => h.Id == id) is not { } hook) return NotFound();
        Hook = hook;
        if ((await ListWebhookDeliveries.Handle(id, 50, Cursor, User, db, ct)).Result is not Ok<Infrastructure.Page<WebhookDeliveryResponse>> page) return NotFound();
        Items = page.Value!.Items;
        NextCursor = page.Value.NextCursor;
        return Page();
    }
}
