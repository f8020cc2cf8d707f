namespace PayTrack.Infrastructure.Web;

/// <summary>The feature pages in the main navigation, in order (dashboard, settings and admin are fixed in the layout).</summary>
public static class NavLinks
{
    public static readonly IReadOnlyList<(string Href, string Label, string Key)> Items =
    [
        ("/expenses", "Expenses", "expenses"),
        ("/budgets", "Budgets", "budgets"),
        ("/reports", "Reports", "reports"),
        ("/wallets", "Wallets", "wallets"),
        ("/send", "Send", "send"),
        ("/import", "Import", "import"),
    ];
}
