using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

public sealed class RateLimitTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerMinute"] = "3",
        ["RateLimits:RegisterPerMinute"] = "2",
        ["RateLimits:ApiPerSecond"] = "1",
        ["RateLimits:ApiBurst"] = "5",
    };

    [Fact]
    public async Task SignIn_OverThePerIpLimit_Returns429WithRetryAfter()
    {
        var client = App.Anonymous();
        for (var i = 0; i < 3; i++)
            (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "x@example.com", password = "whatever-pw" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var limited = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "x@example.com", password = "whatever-pw" });
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "/problems/rate-limited");
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
    }

    [Fact]
    public async Task Register_OverThePerIpLimit_Returns429AndCreatesNothing()
    {
        var client = App.Anonymous();
        for (var i = 0; i < 2; i++)
            (await client.PostAsJsonAsync("/api/v1/auth/register", new { email = $"r{i}@example.com", password = "register-pw-1", displayName = "R" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var limited = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "r9@example.com", password = "register-pw-1", displayName = "R" });
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        limited.Headers.Contains("Retry-After").ShouldBeTrue();
        await using var db = App.Database.OpenContext();
        db.Users.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Api_OverThePerUserBucket_Returns429ButOtherUsersAreNotAffected()
    {
        var ann = await App.RegisterAndSignInAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) statuses.Add((await ann.Client.GetAsync("/api/v1/me")).StatusCode);
        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        statuses.Take(5).ShouldAllBe(s => s == HttpStatusCode.OK);
        var limited = await ann.Client.GetAsync("/api/v1/me");
        if (limited.StatusCode == HttpStatusCode.TooManyRequests) limited.Headers.Contains("Retry-After").ShouldBeTrue();

        var bob = await App.RegisterAndSignInAsync();
        (await bob.Client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
