namespace PayTrack.Infrastructure.Web;

/// <summary>
/// The main navigation and each section's tabs. Every page is at most two clicks from the dashboard:
/// a main link, then a section tab (the browser tests crawl this).
/// </summary>
public static class NavLinks
{
    /// <summary>The feature pages in the main navigation, in order (dashboard, settings and admin are fixed in the layout).</summary>
    public static readonly IReadOnlyList<(string Href, string Label, string Key)> Items =
    [
        ("/expenses", "Expenses", "expenses"),
        ("/budgets", "Budgets", "budgets"),
        ("/groups", "Groups", "groups"),
        ("/reports", "Reports", "reports"),
        ("/wallets", "Wallets", "wallets"),
        ("/send", "Send", "send"),
        ("/import", "Import", "import"),
    ];

    /// <summary>Tabs shown under a section's pages; the key is the page's <c>ViewData["Nav"]</c>.</summary>
    public static IReadOnlyList<(string Href, string Label)> Tabs(string? section, bool isAdmin) => section switch
    {
        "expenses" or "import" => [("/expenses", "Entries"), ("/categories", "Categories"), ("/rules", "Rules"), ("/import", "Import a file")],
        "reports" => [("/reports", "Reports"), ("/rates", "Exchange rates")],
        "settings" or "notifications" => [("/settings", "Profile"), ("/settings/notifications", "Notifications"), ("/notifications", "Inbox"), ("/webhooks", "Webhooks")],
        "admin" when isAdmin => [("/admin/users", "Users"), ("/rates", "Exchange rates")],
        _ => [],
    };
}

/// <summary>The colour scheme a person chose on this device: a cookie, so it needs no account and works before sign-in.</summary>
public static class Theme
{
    public const string Cookie = "paytrack.theme";
    public const string Auto = "auto", Light = "light", Dark = "dark";

    public static string Of(HttpContext http) => http.Request.Cookies[Cookie] is Light or Dark ? http.Request.Cookies[Cookie]! : Auto;

    public static void Set(HttpResponse response, string? theme)
    {
        if (theme is Light or Dark)
            response.Cookies.Append(Cookie, theme, new CookieOptions { MaxAge = TimeSpan.FromDays(400), SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = response.HttpContext.Request.IsHttps, IsEssential = true });
        else response.Cookies.Delete(Cookie);
    }
}
