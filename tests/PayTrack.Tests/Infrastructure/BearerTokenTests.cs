using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PayTrack.Infrastructure.Auth;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// Access tokens checked by the JwtBearer scheme: key rotation through <c>Auth:PreviousSigningKeys</c>,
/// and refusal of tokens whose kid, issuer, audience, lifetime or signature do not hold.
/// </summary>
public sealed class BearerTokenTests : ApiTest
{
    private static readonly byte[] Previous = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Current = RandomNumberGenerator.GetBytes(64);
    private static readonly byte[] Unknown = RandomNumberGenerator.GetBytes(64);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:SigningKey"] = Convert.ToBase64String(Current),
        ["Auth:PreviousSigningKeys:0"] = Convert.ToBase64String(Previous),
    };

    [Fact]
    public async Task AccessToken_SignedWithThePreviousKey_IsAcceptedAfterRotation()
    {
        var me = await App.RegisterAndSignInAsync();
        // Exactly what the app issued before Auth:SigningKey was rotated from Previous to Current.
        var beforeRotation = new TokenService(new SigningKeys(Previous, []), new AuthOptions(), App.Clock)
            .CreateAccessToken(me.Id, SessionOf(me), "user");
        Header(beforeRotation).Kid.ShouldBe(SigningKeys.KeyIdOf(Previous));

        var res = await App.Authorized(beforeRotation).GetAsync("/api/v1/me");
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<UserDto>())!.Id.ShouldBe(me.Id);
    }

    [Fact]
    public async Task AccessToken_IssuedAfterRotation_IsSignedWithTheCurrentKey()
    {
        var me = await App.RegisterAndSignInAsync();
        var header = Header(me.Tokens.AccessToken);
        header.Kid.ShouldBe(SigningKeys.KeyIdOf(Current));
        header.Alg.ShouldBe("HS256");
        var token = new JsonWebToken(me.Tokens.AccessToken);
        token.Issuer.ShouldBe(TokenService.Issuer);
        token.Audiences.ShouldBe([TokenService.Audience]);
        (token.ValidTo - token.IssuedAt).ShouldBe(TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task AccessToken_SignedWithAnUnknownKey_Returns401()
    {
        var me = await App.RegisterAndSignInAsync();
        await ShouldBeRefusedAsync(Forge(me, Unknown, kid: SigningKeys.KeyIdOf(Unknown)));
    }

    [Fact]
    public async Task AccessToken_NamingAKnownKidButSignedWithAnother_Returns401()
    {
        var me = await App.RegisterAndSignInAsync();
        await ShouldBeRefusedAsync(Forge(me, Unknown, kid: SigningKeys.KeyIdOf(Current)));
    }

    [Fact]
    public async Task AccessToken_WithoutKid_Returns401EvenWhenSignedWithTheCurrentKey()
    {
        var me = await App.RegisterAndSignInAsync();
        await ShouldBeRefusedAsync(Forge(me, Current, kid: null));
    }

    [Fact]
    public async Task AccessToken_WithWrongIssuer_Returns401()
    {
        var me = await App.RegisterAndSignInAsync();
        await ShouldBeRefusedAsync(Forge(me, Current, SigningKeys.KeyIdOf(Current), issuer: "someone-else"));
    }

    [Fact]
    public async Task AccessToken_WithWrongAudience_Returns401()
    {
        var me = await App.RegisterAndSignInAsync();
        await ShouldBeRefusedAsync(Forge(me, Current, SigningKeys.KeyIdOf(Current), audience: "another-api"));
        await ShouldBeRefusedAsync(Forge(me, Current, SigningKeys.KeyIdOf(Current), audience: null));
    }

    [Fact]
    public async Task AccessToken_ExpiredBeyondTheClockSkew_Returns401WithExpiredDescription()
    {
        var me = await App.RegisterAndSignInAsync();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var res = await ShouldBeRefusedAsync(Forge(me, Current, SigningKeys.KeyIdOf(Current), expires: now - TokenService.ClockSkew - TimeSpan.FromSeconds(5)));
        res.Headers.WwwAuthenticate.ToString().ShouldContain("expired");
    }

    [Fact]
    public async Task AccessToken_ExpiredWithinTheClockSkew_IsAccepted()
    {
        var me = await App.RegisterAndSignInAsync();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var token = Forge(me, Current, SigningKeys.KeyIdOf(Current), expires: now - TimeSpan.FromSeconds(10));
        await (await App.Authorized(token).GetAsync("/api/v1/me")).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AccessToken_NotValidYet_Returns401()
    {
        var me = await App.RegisterAndSignInAsync();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        await ShouldBeRefusedAsync(Forge(me, Current, SigningKeys.KeyIdOf(Current), notBefore: now + TimeSpan.FromMinutes(5), expires: now + TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task AccessToken_Unsigned_Returns401()
    {
        var me = await App.RegisterAndSignInAsync();
        var payload = me.Tokens.AccessToken.Split('.')[1];
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"none","typ":"JWT","kid":"{{SigningKeys.KeyIdOf(Current)}}"}"""));
        await ShouldBeRefusedAsync($"{header}.{payload}.");
    }

    [Fact]
    public async Task AccessToken_WithAnotherScheme_Returns401()
    {
        var client = App.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        var res = await client.GetAsync("/api/v1/me");
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.Detail!.ShouldContain("Bearer scheme");
    }

    [Fact]
    public async Task AccessToken_OfARevokedSession_Returns401EvenWhenSignedWithThePreviousKey()
    {
        var me = await App.RegisterAndSignInAsync();
        var old = new TokenService(new SigningKeys(Previous, []), new AuthOptions(), App.Clock).CreateAccessToken(me.Id, SessionOf(me), "user");
        await (await me.Client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = me.Tokens.RefreshToken })).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var res = await ShouldBeRefusedAsync(old);
        res.Headers.WwwAuthenticate.ToString().ShouldContain("session");
    }

    private async Task<HttpResponseMessage> ShouldBeRefusedAsync(string token)
    {
        var res = await App.Authorized(token).GetAsync("/api/v1/me");
        await res.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        res.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer error=\"invalid_token\"");
        return res;
    }

    private static Guid SessionOf(SignedInUser user) =>
        Guid.Parse(new JsonWebToken(user.Tokens.AccessToken).GetPayloadValue<string>("sid"));

    private static (string? Kid, string Alg) Header(string token)
    {
        var jwt = new JsonWebToken(token);
        return (jwt.Kid, jwt.Alg);
    }

    /// <summary>A token for the user's real session, with the given key, kid and claims.</summary>
    private string Forge(SignedInUser user, byte[] key, string? kid, string issuer = TokenService.Issuer, string? audience = TokenService.Audience,
        DateTime? notBefore = null, DateTime? expires = null)
    {
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore ?? now - TimeSpan.FromMinutes(1),
            NotBefore = notBefore ?? now - TimeSpan.FromMinutes(1),
            Expires = expires ?? now + TimeSpan.FromMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = user.Id.ToString(), ["sid"] = SessionOf(user).ToString(), ["role"] = "user" },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
