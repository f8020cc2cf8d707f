using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Auth.Pages;

/// <summary>Web registration through the API's own <see cref="Register"/> use case; the new person is signed in at once.</summary>
[AllowAnonymous]
[EnableRateLimiting(AuthSetup.RegisterLimit)]
public sealed class RegisterModel(PayTrackDb db, IPasswordHasher<User> hasher, TimeProvider clock, IEnumerable<IUserProvisioner> provisioners, PayTrack.Infrastructure.Outbox.DomainEvents events) : PageModel
{
    [BindProperty] public RegisterInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class RegisterInput
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        [DataType(DataType.Password)] public string? Password { get; set; }
        public string? DefaultCurrency { get; set; }
    }

    public void OnGet()
    {
        // A sensible first guess from the browser's locale; the person can change it.
        try
        {
            var region = new RegionInfo(CultureInfo.CurrentCulture.Name);
            Input.DefaultCurrency = Currency.IsSupported(region.ISOCurrencySymbol) ? region.ISOCurrencySymbol : "USD";
        }
        catch (ArgumentException) { Input.DefaultCurrency = "USD"; }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var request = new RegisterRequest(Input.Email, Input.Password, Input.DisplayName, string.IsNullOrEmpty(Input.DefaultCurrency) ? null : Input.DefaultCurrency);
        var result = await Register.Handle(request, db, hasher, clock, provisioners, events, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, problemFields: new Dictionary<string, string> { ["email-taken"] = "email" },
                labels: new Dictionary<string, string> { ["displayName"] = "your name" }))
            return Page();

        // Signed in at once, exactly as the sign-in page does it: a session row and the cookie that names it.
        var created = ((Microsoft.AspNetCore.Http.HttpResults.Created<UserResponse>)result.Result).Value!;
        var user = await db.Users.FirstAsync(u => u.Id == created.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var session = Credentials.StartSession(db, user, now);
        await db.SaveChangesAsync(ct);
        await HttpContext.SignInAsync(WebSessionCookie.SchemeName, WebSessionCookie.Principal(user, session),
            new AuthenticationProperties { IsPersistent = false, IssuedUtc = now });
        TempData["Flash"] = "Your account is ready and you are signed in. Add an expense or import your bank's file to begin.";
        return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
