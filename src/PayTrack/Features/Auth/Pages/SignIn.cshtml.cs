using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Auth.Pages;

/// <summary>Web sign-in: the same credential check and lockout as <c>POST /api/v1/auth/token</c>, then a session row and a cookie.</summary>
[AllowAnonymous]
[EnableRateLimiting(AuthSetup.SignInLimit)]
public sealed class SignInModel(PayTrackDb db, IPasswordHasher<User> hasher, AuthOptions options, TimeProvider clock) : PageModel
{
    [BindProperty] public SignInInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class SignInInput
    {
        [Required(ErrorMessage = "Enter your e-mail address.")]
        [Display(Name = "E-mail")]
        public string? Email { get; set; }

        [Required(ErrorMessage = "Enter your password.")]
        [DataType(DataType.Password)]
        public string? Password { get; set; }

        [Display(Name = "Keep me signed in on this device")]
        public bool Remember { get; set; }
    }

    /// <summary>A fresh server: nobody can sign in yet, and the first account becomes the administrator.</summary>
    public bool NoAccountsYet { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true) return LocalRedirect(SafeReturnUrl());
        if (TempData["Email"] is string email) Input.Email = email;
        NoAccountsYet = !await db.Users.AnyAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var now = clock.GetUtcNow().UtcDateTime;
        var check = await Credentials.CheckAsync(Input.Email!, Input.Password!, db, hasher, options, now, ct);
        switch (check.Outcome)
        {
            case CredentialOutcome.Invalid:
                ModelState.AddModelError("", "The e-mail or password is wrong.");
                return Page();
            case CredentialOutcome.Locked:
                Response.Headers.RetryAfter = IssueToken.LockoutSeconds(check.LockedFor).ToString(System.Globalization.CultureInfo.InvariantCulture);
                ModelState.AddModelError("", $"Too many failed sign-ins: this account is locked. Try again in {Minutes(check.LockedFor)}.");
                return Page();
            case CredentialOutcome.NotActive:
                ModelState.AddModelError("", $"This account is {check.User!.Status}; it cannot sign in. Contact your administrator.");
                return Page();
        }

        var user = check.User!;
        var session = Credentials.StartSession(db, user, now);
        await db.SaveChangesAsync(ct);
        await HttpContext.SignInAsync(WebSessionCookie.SchemeName, WebSessionCookie.Principal(user, session),
            new AuthenticationProperties { IsPersistent = Input.Remember, IssuedUtc = now });
        return LocalRedirect(SafeReturnUrl());
    }

    private string SafeReturnUrl() => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";

    private static string Minutes(TimeSpan t)
    {
        var m = Math.Max(1, (int)Math.Ceiling(t.TotalMinutes));
        return m == 1 ? "a minute" : $"{m} minutes";
    }
}
