using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Notifications.Pages;

/// <summary>Notification preferences per kind and channel, through <see cref="UpdateNotificationPreferences"/>.</summary>
public sealed class PreferencesModel(PayTrackDb db, TimeProvider clock) : PageModel
{
    public NotificationPreferencesResponse Current { get; private set; } = null!;
    /// <summary>Kinds checked for e-mail and in-app (unchecked boxes are not sent, so every kind not listed is off).</summary>
    [BindProperty] public List<string> Email { get; set; } = [];
    [BindProperty] public List<string> InApp { get; set; } = [];
    [BindProperty] public string? Locale { get; set; }
    [BindProperty] public string? TimeZone { get; set; }

    public static readonly string[] Locales = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-BR", "pl-PL", "sv-SE", "ja-JP"];

    public async Task OnGetAsync(CancellationToken ct) => Current = (await GetNotificationPreferences.Handle(User, db, ct)).Value!;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var request = new NotificationPreferencesRequest(
            NotificationKinds.All.ToDictionary(k => k, k => k == NotificationKinds.Security || Email.Contains(k)),
            NotificationKinds.All.ToDictionary(k => k, InApp.Contains),
            string.IsNullOrWhiteSpace(Locale) ? null : Locale.Trim(), string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZone.Trim());
        var result = (await UpdateNotificationPreferences.Handle(request, User, db, clock, ct)).Result;
        if (UseCaseErrors.AddTo(ModelState, result, ""))
        {
            await OnGetAsync(ct);
            return Page();
        }
        TempData["Flash"] = "Your notification settings are saved.";
        return Redirect("/settings/notifications");
    }
}
