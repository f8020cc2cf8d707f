using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;

namespace PayTrack.Tests.Support;

/// <summary>The real application in-process, on its own clean database, with settings a test may override.</summary>
public sealed class PayTrackApp : WebApplicationFactory<Program>
{
    private readonly IDictionary<string, string?>? _settings;

    /// <param name="kestrel">Listen on a real loopback port (needed for the payment provider's callbacks to reach the app).</param>
    /// <param name="services">Extra service registrations (e.g. an outbox handler that records what it is given).</param>
    /// <param name="ownsDatabase">False for a second instance on another app's database: it leaves the database alone when disposed.</param>
    public PayTrackApp(TestDatabase database, IDictionary<string, string?>? settings = null, bool kestrel = false,
        Action<IServiceCollection>? services = null, bool ownsDatabase = true)
    {
        Database = database;
        _settings = settings;
        _kestrel = kestrel;
        _services = services;
        _ownsDatabase = ownsDatabase;
        if (kestrel) UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
    }

    private readonly bool _kestrel;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDatabase;

    public TestDatabase Database { get; }
    public TestClock Clock { get; } = new();

    /// <summary>Every answer this app gave, checked against the OpenAPI document on dispose (<see cref="OpenApiContract"/>).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<OpenApiContract.Observation> Observed { get; } = new();

    /// <summary>Background workers run often in tests, so eventual outcomes arrive quickly.</summary>
    private static readonly Dictionary<string, string?> FastWorkers = new()
    {
        ["Payments:SandboxSettleDelayMs"] = "100",
        ["Payments:ReconcileIntervalMs"] = "200",
        ["Payments:ReconcileAfterMs"] = "1500",
        ["Payments:RetryBaseDelayMs"] = "20",
        ["Audit:SealIntervalMs"] = "200",
        ["Ledger:HoldExpiryIntervalMs"] = "100",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.ProviderSetting);
        builder.UseSetting("ConnectionStrings:Default", Database.ConnectionString);
        builder.UseSetting("Database:DataDirectory", Database.Directory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        foreach (var (key, value) in FastWorkers) builder.UseSetting(key, value);
        foreach (var (key, value) in _settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(s);
            s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new ResponseRecorder(Observed));
        });
    }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous()
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        if (_kestrel)
        {
            var address = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
            options.BaseAddress = new Uri(address);
        }
        return CreateClient(options);
    }

    /// <summary>A POST with an Idempotency-Key (a fresh one unless given).</summary>
    public static async Task<HttpResponseMessage> PostIdempotentAsync(HttpClient client, string path, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    /// <summary>Puts money into a wallet the way a settled deposit does (provider system account → wallet), skipping the provider round trip.</summary>
    public async Task FundAsync(Guid userId, Guid accountId, string amount)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrack.Data.PayTrackDb>();
        var payments = scope.ServiceProvider.GetRequiredService<PayTrack.Features.Payments.PaymentService>();
        var account = await db.Accounts.FindAsync(accountId) ?? throw new InvalidOperationException("no such account");
        PayTrack.Domain.Money.TryParse(amount, PayTrack.Domain.Currency.Get(account.Currency), out var money, out var error).ShouldBeTrue(error);
        var payment = await PayTrack.Data.Sql.InTransactionAsync(db, c => payments.RecordAsync("deposit", userId, account, money, "test:funding", null, null, c), CancellationToken.None);
        (await payments.SettleAsync(payment!.Id, "success", null, CancellationToken.None)).ShouldBeTrue();
    }

    /// <summary>The caller's Main wallet.</summary>
    public static async Task<AccountDto> MainWalletAsync(SignedInUser user) =>
        (await user.Client.GetFromJsonAsync<ItemsDto<AccountDto>>("/api/v1/accounts"))!.Items.Single(a => a.Name == "Main");

    /// <summary>Registers a user (the first one becomes admin) and answers a client signed in as them.</summary>
    public async Task<SignedInUser> RegisterAndSignInAsync(string? email = null, string password = "correct horse battery", string? currency = null, string? displayName = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        var client = Anonymous();
        var reg = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName = displayName ?? "Test User", defaultCurrency = currency });
        await reg.ShouldHaveStatusAsync(System.Net.HttpStatusCode.Created);
        var user = (await reg.Content.ReadFromJsonAsync<UserDto>())!;
        var tokens = await SignInAsync(email, password);
        return new SignedInUser(user, tokens, Authorized(tokens.AccessToken), password);
    }

    public async Task<TokenDto> SignInAsync(string email, string password)
    {
        var res = await Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        await res.ShouldHaveStatusAsync(System.Net.HttpStatusCode.OK);
        return (await res.Content.ReadFromJsonAsync<TokenDto>())!;
    }

    public HttpClient Authorized(string accessToken)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        var violations = new List<string>();
        if (!Observed.IsEmpty)
        {
            try { violations = OpenApiContract.Violations(await OpenApiContract.LoadAsync(Anonymous()), Observed); }
            catch (ObjectDisposedException)
            {
                // A test stopped the app itself; its answers cannot be checked against its document.
            }
            catch (HttpRequestException ex)
            {
                violations.Add($"/openapi/v1.json could not be read, so no answer could be checked: {ex.Message}");
            }
        }
        await base.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
        if (violations.Count > 0)
            throw new ShouldAssertException("Answers not declared in the OpenAPI document (declare them on the endpoint or in Infrastructure/Web/OpenApiOperations.cs; ADR 0028):\n" + string.Join("\n", violations));
    }
}

public sealed record SignedInUser(UserDto User, TokenDto Tokens, HttpClient Client, string Password)
{
    public Guid Id => User.Id;
    public string Email => User.Email;
}

public sealed record UserDto(Guid Id, string Email, string DisplayName, string DefaultCurrency, string[] Roles, string Status, DateTime CreatedAt);
public sealed record TokenDto(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);
public sealed record PageDto<T>(List<T> Items, string? NextCursor);
public sealed record ItemsDto<T>(List<T> Items);
public sealed record AccountDto(Guid Id, string Name, string Currency, string Balance, string Available, string Status, DateTime CreatedAt);
public sealed record EntryDto(Guid Id, Guid TransferId, string Amount, string Currency, string Direction, string BalanceAfter, string? Description, DateTime CreatedAt);
public sealed record TransferDto(Guid Id, Guid FromAccountId, Guid ToAccountId, string Amount, string Currency, string Status, string? Description, string? FailureReason, DateTime CreatedAt, DateTime? CompletedAt, DateTime? ExpiresAt);
public sealed record PaymentDto(Guid Id, Guid AccountId, string Amount, string Currency, string Status, string? FailureReason, DateTime CreatedAt, DateTime? CompletedAt);
public sealed record ProblemDto(string? Type, string? Title, int Status, string? Detail, string? TraceId, Dictionary<string, string[]>? Errors);

/// <summary>Real time plus whatever a test has moved it forward by, so background workers keep working.</summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddTicks(Interlocked.Read(ref _offsetTicks));
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
