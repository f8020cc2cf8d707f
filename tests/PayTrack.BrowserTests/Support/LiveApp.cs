using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Support;

namespace PayTrack.BrowserTests.Support;

/// <summary>
/// The real PayTrack on Kestrel on a free loopback port, on its own clean database (SQLite, or
/// PostgreSQL when PAYTRACK_TEST_DB=postgres), so a real browser can talk to it.
/// </summary>
public sealed class LiveApp : WebApplicationFactory<Program>
{
    private LiveApp(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }
    public string BaseUrl { get; private set; } = "";

    public static async Task<LiveApp> StartAsync()
    {
        var app = new LiveApp(await TestDatabase.CreateAsync());
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.BaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.ProviderSetting);
        builder.UseSetting("ConnectionStrings:Default", Database.ConnectionString);
        builder.UseSetting("Database:DataDirectory", Database.Directory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        builder.UseSetting("urls", "http://127.0.0.1:0");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
