using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Auth;

public sealed class TokenTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:SignInPerMinute"] = "1000" };

    [Fact]
    public async Task Token_WithRightPassword_IssuesWorkingBearerPair()
    {
        var me = await App.RegisterAndSignInAsync(email: "Case@Example.com");
        me.Tokens.TokenType.ShouldBe("Bearer");
        me.Tokens.ExpiresIn.ShouldBe(900);
        me.Tokens.RefreshToken.ShouldNotBeNullOrEmpty();
        me.Tokens.AccessToken.Split('.').Length.ShouldBe(3);

        var tokens = await App.SignInAsync("case@EXAMPLE.com", me.Password);
        var res = await App.Authorized(tokens.AccessToken).GetFromJsonAsync<UserDto>("/api/v1/me");
        res!.Id.ShouldBe(me.Id);
    }

    [Fact]
    public async Task Token_WhenPasswordWrongOrEmailUnknown_Returns401TheSameWay()
    {
        var me = await App.RegisterAndSignInAsync();
        var client = App.Anonymous();
        var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = "wrong password!" });
        var unknown = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "nobody@example.com", password = "wrong password!" });
        var p1 = await wrong.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "/problems/invalid-credentials");
        var p2 = await unknown.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "/problems/invalid-credentials");
        p1.Detail.ShouldBe(p2.Detail);
    }

    [Fact]
    public async Task Token_WhenMissingFields_Returns400()
    {
        var res = await App.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { email = "a@example.com" });
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Errors!.ShouldContainKey("password");
    }

    [Fact]
    public async Task Token_AfterFiveFailures_LocksEvenTheRightPasswordUntilLockoutEnds()
    {
        var me = await App.RegisterAndSignInAsync();
        var client = App.Anonymous();
        for (var i = 0; i < 5; i++)
            (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = "wrong password!" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var locked = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = me.Password });
        await locked.ShouldBeProblemAsync(HttpStatusCode.Locked, "/problems/account-locked");
        var retryAfter = int.Parse(locked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.ShouldBeInRange(1, 15 * 60);

        App.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var after = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = me.Password });
        await after.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_ForAnUnknownEmail_LocksOutExactlyLikeARealOne()
    {
        var me = await App.RegisterAndSignInAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        var client = App.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = "wrong password!" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "/problems/invalid-credentials");
            await (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = unknown.ToUpperInvariant(), password = "wrong password!" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "/problems/invalid-credentials");
        }

        var real = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = "wrong password!" });
        var fake = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = unknown, password = "wrong password!" });
        var realProblem = await real.ShouldBeProblemAsync(HttpStatusCode.Locked, "/problems/account-locked");
        var fakeProblem = await fake.ShouldBeProblemAsync(HttpStatusCode.Locked, "/problems/account-locked");
        fakeProblem.Title.ShouldBe(realProblem.Title);
        // The same wait, give or take the second that ticks between the two answers on a busy machine.
        var realWait = int.Parse(real.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var fakeWait = int.Parse(fake.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        realWait.ShouldBeInRange(14 * 60, 15 * 60);
        Math.Abs(realWait - fakeWait).ShouldBeLessThanOrEqualTo(1);

        // The lockout of an unknown e-mail ends like a real one.
        App.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = unknown, password = "wrong password!" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_SuccessResetsTheFailureCount()
    {
        var me = await App.RegisterAndSignInAsync();
        var client = App.Anonymous();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
                (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = "wrong password!" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = me.Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task AccessToken_WhenExpired_Returns401WithBearerChallenge()
    {
        var me = await App.RegisterAndSignInAsync();
        App.Clock.Advance(TimeSpan.FromMinutes(16));
        var res = await me.Client.GetAsync("/api/v1/me");
        await res.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        res.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async Task AccessToken_WhenTamperedOrForeign_Returns401()
    {
        var me = await App.RegisterAndSignInAsync();
        var parts = me.Tokens.AccessToken.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);
        await (await App.Authorized(forged).GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await App.Authorized("not-a-token").GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // A token signed by another installation (its own generated key) is refused here.
        await using var other = new PayTrackApp(await TestDatabase.CreateAsync());
        var stranger = await other.RegisterAndSignInAsync();
        await (await App.Authorized(stranger.Tokens.AccessToken).GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
