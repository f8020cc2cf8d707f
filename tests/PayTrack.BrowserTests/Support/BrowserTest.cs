using Microsoft.Playwright;

namespace PayTrack.BrowserTests.Support;

/// <summary>
/// Base for browser tests: a fresh app on a fresh database and a fresh browser context per test.
/// Screenshots go to bin/.../screenshots; with PAYTRACK_SCREENSHOTS=1 they replace docs/screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    public const string Password = "correct horse battery";
    private readonly List<IBrowserContext> _contexts = [];

    protected LiveApp App { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await LiveApp.StartAsync();
        Page = await NewPageAsync();
    }

    /// <summary>A page in a new context: its own cookies, as a second person on another device.</summary>
    protected async Task<IPage> NewPageAsync(int width = 1280, int height = 860, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = "UTC",
            ColorScheme = colorScheme,
        });
        // Generous: ./test.sh runs both test projects at once on a small shared machine, and a sign-in
        // hashes a password (PBKDF2, 100k rounds) on a busy CPU. The waits end as soon as the page is ready.
        context.SetDefaultTimeout(45_000);
        context.SetDefaultNavigationTimeout(60_000);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    protected static async Task RegisterAsync(IPage page, string name, string email, string currency = "USD")
    {
        await page.GotoAsync("/register");
        await page.GetByLabel("Your name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("E-mail", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Main currency", new() { Exact = true }).SelectOptionAsync(currency);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        // Registering signs the person in: they land on the dashboard.
        await page.WaitForURLAsync(u => !u.Contains("/register", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("form[action='/sign-out']").First).ToBeAttachedAsync();
    }

    protected static async Task SignInAsync(IPage page, string email, string password = Password)
    {
        if (!page.Url.Contains("/sign-in", StringComparison.Ordinal)) await page.GotoAsync("/sign-in");
        await page.GetByLabel("E-mail", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/sign-in", StringComparison.Ordinal));
    }

    protected static async Task<(string Email, string Name)> RegisterAndSignInAsync(IPage page, string name = "Alex Doe", string currency = "USD")
    {
        var email = $"{name.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}"[..20] + "@example.com";
        await RegisterAsync(page, name, email, currency);
        return (email, name);
    }

    /// <summary>Fails when the page is wider than the viewport (horizontal scrolling).</summary>
    protected static async Task ShouldNotScrollSidewaysAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[2], $"{page.Url} scrolls sideways (document {widths[0]}px, viewport {widths[2]}px)");
        widths[1].ShouldBeLessThanOrEqualTo(widths[2], $"{page.Url} body is wider than the viewport");
    }

    protected static async Task ScreenshotAsync(IPage page, string name)
    {
        var toDocs = Environment.GetEnvironmentVariable("PAYTRACK_SCREENSHOTS") == "1";
        var dir = toDocs ? Path.Combine(RepositoryRoot(), "docs", "screenshots") : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        bytes.Length.ShouldBeGreaterThan(1000);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PayTrack.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PayTrack.slnx not found above the test binaries.");
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _contexts) await c.CloseAsync();
        await App.DisposeAsync();
    }
}
