using System.Globalization;
using Microsoft.AspNetCore.Localization;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// The server-rendered web UI: Razor Pages that live in each feature's <c>Pages</c> folder
/// (<c>Features/&lt;Noun&gt;/Pages/*.cshtml</c>, each with an explicit <c>@page "/route"</c>).
/// See docs/decisions/0020-razor-pages-in-feature-folders.md.
/// </summary>
public static class WebUiSetup
{
    /// <summary>Cultures whose number and date formats the UI follows (from Accept-Language); amounts keep the currency's own digits.</summary>
    public static readonly string[] Cultures =
        ["en-US", "en-GB", "en-AU", "en-CA", "en-IN", "de-DE", "de-AT", "de-CH", "fr-FR", "fr-CA", "es-ES", "es-MX", "it-IT",
         "nl-NL", "pt-PT", "pt-BR", "pl-PL", "sv-SE", "nb-NO", "da-DK", "fi-FI", "cs-CZ", "hu-HU", "ro-RO", "tr-TR",
         "ja-JP", "ko-KR", "zh-CN", "uk-UA"];

    public static IServiceCollection AddPayTrackWebUi(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            // Secure by default: every page needs a signed-in user unless it says [AllowAnonymous].
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AuthorizeFolder("/Admin", AuthSetup.AdminPolicy);
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "paytrack.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = Cultures.Select(c => new CultureInfo(c)).ToList();
            o.DefaultRequestCulture = new RequestCulture("en-US");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentCultures = true;
            o.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>
    /// Locale and friendly error pages for the UI only: the API keeps invariant formatting and its problem+json bodies.
    /// </summary>
    public static IApplicationBuilder UsePayTrackWebUi(this IApplicationBuilder app)
    {
        app.UseWhen(IsUiRequest, ui =>
        {
            ui.UseRequestLocalization();
            // Upload forms are read twice: once for the antiforgery token, then by the use case that
            // streams the multipart body itself (UploadReceipt), exactly as the API hands it over.
            ui.Use((http, next) =>
            {
                if (HttpMethods.IsPost(http.Request.Method) && http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
                    http.Request.EnableBuffering();
                return next(http);
            });
            ui.UseStatusCodePagesWithReExecute("/error/{0}");
        });
        return app;
    }

    private static bool IsUiRequest(HttpContext http) =>
        !WebSessionCookie.IsApiRequest(http)
        && !http.Request.Path.StartsWithSegments("/health")
        && !http.Request.Path.StartsWithSegments("/openapi")
        && !http.Request.Path.StartsWithSegments("/api-docs");
}
