using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;

namespace PayTrack.Features.Notifications.Pages;

/// <summary>The caller's notifications (<see cref="ListNotifications"/>), newest first; mark one or all read.</summary>
public sealed class IndexModel(PayTrackDb db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<NotificationResponse> Items { get; private set; } = [];
    public string? NextCursor { get; private set; }
    [BindProperty(SupportsGet = true)] public bool Unread { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = (await ListNotifications.Handle(Unread, 50, Cursor, User, db, ct)).Result;
        if (result is not Microsoft.AspNetCore.Http.HttpResults.Ok<Infrastructure.Page<NotificationResponse>> ok) return Redirect("/notifications");
        Items = ok.Value!.Items;
        NextCursor = ok.Value.NextCursor;
        return Page();
    }

    public async Task<IActionResult> OnPostReadAsync(Guid id, CancellationToken ct)
    {
        var result = (await MarkNotificationRead.Handle(id, User, db, clock, ct)).Result;
        if (result is not Microsoft.AspNetCore.Http.HttpResults.Ok<NotificationResponse> ok) return NotFound();
        return Redirect(ok.Value!.Link is { } link && link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) ? link : "/notifications");
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await MarkAllNotificationsRead.Handle(User, db, clock, ct);
        TempData["Flash"] = "All notifications are marked read.";
        return Redirect("/notifications");
    }
}
