using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;

namespace PayTrack.Infrastructure.Auth;

/// <summary>
/// The web UI's cookie: it carries the user id and the id of a <c>sessions</c> row (like an access
/// token does), and every request re-reads that row by primary key, so signing out elsewhere, an
/// admin's suspension or a revoked session ends the cookie on the next request.
/// See docs/decisions/0021-cookie-and-bearer-schemes.md.
/// </summary>
public static class WebSessionCookie
{
    public const string SchemeName = "Cookies";
    /// <summary>The default scheme: picks Bearer for <c>/api</c>, the cookie for everything else.</summary>
    public const string SelectorScheme = "PayTrack";
    public const string CookieName = "paytrack.session";

    public static bool IsApiRequest(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    public static ClaimsPrincipal Principal(User user, Session session) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim("sid", session.Id.ToString()),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(ClaimTypes.Name, user.DisplayName),
            new Claim(ClaimTypes.Email, user.Email),
        ], SchemeName));

    public static void Configure(CookieAuthenticationOptions o, AuthOptions auth)
    {
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.LoginPath = "/sign-in";
        o.LogoutPath = "/sign-out";
        o.AccessDeniedPath = "/access-denied";
        o.ReturnUrlParameter = "returnUrl";
        o.ExpireTimeSpan = TimeSpan.FromHours(auth.WebSessionHours);
        o.SlidingExpiration = true;
        o.Events.OnValidatePrincipal = ValidateAsync;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var principal = ctx.Principal;
        if (!Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue("sid"), out var sessionId))
        {
            await RejectAsync(ctx);
            return;
        }
        var db = ctx.HttpContext.RequestServices.GetRequiredService<PayTrackDb>();
        var state = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.UserId == userId)
            .Select(s => new { s.RevokedAt, s.User.Status, s.User.Role, s.User.DisplayName })
            .FirstOrDefaultAsync(ctx.HttpContext.RequestAborted);
        if (state is null || state.RevokedAt is not null || state.Status != UserStatus.Active)
        {
            await RejectAsync(ctx);
            return;
        }
        // Keep the name and role in step with the database without re-issuing the cookie.
        var identity = (ClaimsIdentity)principal.Identity!;
        Replace(identity, ClaimTypes.Role, state.Role);
        Replace(identity, ClaimTypes.Name, state.DisplayName);
    }

    private static void Replace(ClaimsIdentity identity, string type, string value)
    {
        if (identity.FindFirst(type) is { } old)
        {
            if (old.Value == value) return;
            identity.RemoveClaim(old);
        }
        identity.AddClaim(new Claim(type, value));
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext ctx)
    {
        ctx.RejectPrincipal();
        await ctx.HttpContext.SignOutAsync(SchemeName);
    }
}
