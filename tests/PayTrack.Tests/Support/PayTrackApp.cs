using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PayTrack.Tests.Support;

/// <summary>The real application in-process, on its own clean database, with settings a test may override.</summary>
public sealed class PayTrackApp(TestDatabase database, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;
    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.ProviderSetting);
        builder.UseSetting("ConnectionStrings:Default", Database.ConnectionString);
        builder.UseSetting("Database:DataDirectory", Database.Directory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

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
        await base.DisposeAsync();
        await Database.DisposeAsync();
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
public sealed record ProblemDto(string? Type, string? Title, int Status, string? Detail, string? TraceId, Dictionary<string, string[]>? Errors);

/// <summary>A clock a test can move forward.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
