using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Auth;

public sealed class RefreshTests : ApiTest
{
    private async Task<HttpResponseMessage> RefreshAsync(string token) =>
        await App.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = token });

    [Fact]
    public async Task Refresh_RotatesAndTheNewPairWorks()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await RefreshAsync(me.Tokens.RefreshToken);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var next = (await res.Content.ReadFromJsonAsync<TokenDto>())!;
        next.RefreshToken.ShouldNotBe(me.Tokens.RefreshToken);
        (await App.Authorized(next.AccessToken).GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RefreshAsync(next.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_WhenOldTokenReused_Returns401AndRevokesTheWholeFamily()
    {
        var me = await App.RegisterAndSignInAsync();
        var next = (await (await RefreshAsync(me.Tokens.RefreshToken)).Content.ReadFromJsonAsync<TokenDto>())!;

        await (await RefreshAsync(me.Tokens.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "/problems/invalid-refresh-token");

        // The descendant issued before the reuse is dead too, and so are the session's access tokens.
        await (await RefreshAsync(next.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await App.Authorized(next.AccessToken).GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_ReuseInOneSession_LeavesOtherSessionsAlone()
    {
        var me = await App.RegisterAndSignInAsync();
        var laptop = await App.SignInAsync(me.Email, me.Password);
        await RefreshAsync(me.Tokens.RefreshToken);
        (await RefreshAsync(me.Tokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await RefreshAsync(laptop.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_WhenConcurrentWithSameToken_OnlyOneWins()
    {
        var me = await App.RegisterAndSignInAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RefreshAsync(me.Tokens.RefreshToken)));
        results.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBeLessThanOrEqualTo(1);
        results.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_WhenUnknownExpiredOrMissing_IsRefused()
    {
        var me = await App.RegisterAndSignInAsync();
        await (await RefreshAsync("made-up-token")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await App.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        App.Clock.Advance(TimeSpan.FromDays(31));
        await (await RefreshAsync(me.Tokens.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_StoresOnlyHashes()
    {
        var me = await App.RegisterAndSignInAsync();
        await using var db = App.Database.OpenContext();
        db.RefreshTokens.Any(t => t.TokenHash == me.Tokens.RefreshToken).ShouldBeFalse();
        db.RefreshTokens.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Logout_EndsTheSessionItsRefreshAndAccessTokens()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = me.Tokens.RefreshToken });
        await res.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await RefreshAsync(me.Tokens.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await me.Client.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_WithAnotherUsersRefreshToken_DoesNotEndTheirSession()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        (await ann.Client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = bob.Tokens.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await bob.Client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RefreshAsync(bob.Tokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_WithoutToken_Returns401()
    {
        var res = await App.Anonymous().PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = "x" });
        await res.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        res.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }
}
