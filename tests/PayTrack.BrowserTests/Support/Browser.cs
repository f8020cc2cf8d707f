using Microsoft.Playwright;

namespace PayTrack.BrowserTests.Support;

/// <summary>
/// One headless Debian chromium for the whole run (found on PATH, never downloaded), shared by
/// every browser test; each test opens its own context (cookies) on its own app.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = Args,
        });
    }

    /// <summary>What <c>command -v chromium</c> finds: Debian's package.</summary>
    public static string ChromiumPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "chromium");
            if (File.Exists(candidate)) return candidate;
        }
        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";
        throw new InvalidOperationException("chromium is not on PATH; install Debian's package: apt-get install -y chromium (./test.sh does).");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
