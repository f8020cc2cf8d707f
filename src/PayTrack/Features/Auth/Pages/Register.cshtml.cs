using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Auth.Pages;

/// <summary>Web registration through the API's own <see cref="Register"/> use case.</summary>
[AllowAnonymous]
[EnableRateLimiting(AuthSetup.RegisterLimit)]
public sealed class RegisterModel(PayTrackDb db, IPasswordHasher<User> hasher, TimeProvider clock, IEnumerable<IUserProvisioner> provisioners) : PageModel
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
        var result = await Register.Handle(request, db, hasher, clock, provisioners, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, problemFields: new Dictionary<string, string> { ["email-taken"] = "email" }))
            return Page();

        TempData["Flash"] = "Your account is ready. Sign in to start.";
        TempData["Email"] = Input.Email?.Trim();
        return RedirectToPage("/Auth/Pages/SignIn", new { returnUrl = ReturnUrl });
    }
}
