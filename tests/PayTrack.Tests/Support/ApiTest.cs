namespace PayTrack.Tests.Support;

/// <summary>Base for HTTP tests: each test gets its own app on its own clean database.</summary>
public abstract class ApiTest : IAsyncLifetime
{
    private PayTrackApp? _app;

    protected PayTrackApp App => _app ?? throw new InvalidOperationException("App not started.");

    /// <summary>Settings this test class runs with (e.g. lower rate limits).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _app = new PayTrackApp(await TestDatabase.CreateAsync(), Settings);
        _ = _app.Server; // start the host now, so start-up failures surface here
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
