using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Audit;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Me.Pages;

/// <summary>Profile, default currency and password, through the same handlers as <c>PATCH /api/v1/me</c> and <c>POST /api/v1/me/password</c>.</summary>
public sealed class SettingsModel(PayTrackDb db, SessionCache sessions, PayTrack.Infrastructure.Outbox.DomainEvents events, IPasswordHasher<User> hasher, TimeProvider clock) : PageModel
{
    [BindProperty] public ProfileInput Profile { get; set; } = new();
    [BindProperty] public PasswordInput Password { get; set; } = new();
    public string Email { get; private set; } = "";
    public string Theme => Infrastructure.Web.Theme.Of(HttpContext);

    /// <summary>Light, dark or automatic (prefers-color-scheme), kept in a cookie for this device.</summary>
    public IActionResult OnPostTheme(string? theme)
    {
        Infrastructure.Web.Theme.Set(Response, theme);
        TempData["Flash"] = theme switch { "dark" => "Dark mode is on.", "light" => "Light mode is on.", _ => "PayTrack follows your system's light or dark setting." };
        return Redirect("/settings#appearance");
    }

    public sealed class ProfileInput
    {
        public string? DisplayName { get; set; }
        public string? DefaultCurrency { get; set; }
    }

    public sealed class PasswordInput
    {
        public string? CurrentPassword { get; set; }
        public string? NewPassword { get; set; }
        /// <summary>The new password again: there is no reset by e-mail, so a typo here must not lock the person out.</summary>
        public string? ConfirmPassword { get; set; }
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var user = await LoadAsync(ct);
        Profile.DisplayName = user.DisplayName;
        Profile.DefaultCurrency = user.DefaultCurrency;
    }

    public async Task<IActionResult> OnPostProfileAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await UpdateMe.Handle(new UpdateMeRequest(Profile.DisplayName ?? "", Profile.DefaultCurrency), User, db, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Profile"))
        {
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = "Your profile is saved.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (!string.IsNullOrEmpty(Password.NewPassword) && Password.ConfirmPassword != Password.NewPassword)
        {
            ModelState.AddModelError("Password.ConfirmPassword", "The two new passwords are not the same. Type the new password again.");
            var me = await LoadAsync(ct);
            Profile.DisplayName = me.DisplayName;
            Profile.DefaultCurrency = me.DefaultCurrency;
            return Page();
        }
        var result = await ChangePassword.Handle(new ChangePasswordRequest(Password.CurrentPassword, Password.NewPassword), User, db, sessions, events, hasher, clock, ct);
        var user = await LoadAsync(ct);
        Profile.DisplayName = user.DisplayName;
        Profile.DefaultCurrency = user.DefaultCurrency;
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Password")) return Page();
        TempData["Flash"] = "Your password is changed. Other devices have been signed out.";
        return RedirectToPage();
    }

    private async Task<User> LoadAsync(CancellationToken ct)
    {
        var id = User.UserId();
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == id, ct);
        Email = user.Email;
        return user;
    }
}
