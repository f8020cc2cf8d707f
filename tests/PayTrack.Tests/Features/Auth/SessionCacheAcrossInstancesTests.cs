using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PayTrack.Infrastructure.Live;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Features.Groups;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Auth;

/// <summary>
/// Two instances on one PostgreSQL database, each remembering checked sessions for a minute: a session ended
/// through one is refused by the other at once, not when the other's cache entry runs out.
/// </summary>
public sealed class SessionCacheAcrossInstancesTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Auth:SessionCacheSeconds"] = "60", ["RateLimits:Enabled"] = "false" };

    private static async Task WaitForBusAsync(PayTrackApp app)
    {
        if (app.Services.GetRequiredService<ILiveBus>() is PostgresLiveBus pg) await pg.Listening.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [PostgresFact]
    public async Task OnPostgres_ASessionEndedThroughOneInstance_IsRefusedByAnotherAtOnce()
    {
        await using var first = new PayTrackApp(await TestDatabase.CreateAsync(), Settings);
        await using var second = new PayTrackApp(first.Database, new Dictionary<string, string?>(Settings) { ["Outbox:Enabled"] = "false" }, ownsDatabase: false);
        _ = first.Server;
        _ = second.Server;
        await WaitForBusAsync(first);
        await WaitForBusAsync(second);

        var ann = await first.RegisterAndSignInAsync();
        var annOnSecond = second.Authorized(ann.Tokens.AccessToken);
        (await annOnSecond.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK); // the second instance now remembers the session
        (await annOnSecond.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var watch = Stopwatch.StartNew();
        await (await ann.Client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = ann.Tokens.RefreshToken })).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await Eventually.TrueAsync(async () => (await annOnSecond.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2), "the second instance kept accepting the ended session");
        await (await ann.Client.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // A password changed through the second instance ends Bob's other sessions on the first one too.
        var bob = await first.RegisterAndSignInAsync();
        (await bob.Client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var bobOnSecond = second.Authorized((await second.SignInAsync(bob.Email, bob.Password)).AccessToken);
        watch.Restart();
        await (await bobOnSecond.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = bob.Password, newPassword = "a new horse battery staple" }))
            .ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await Eventually.TrueAsync(async () => (await bob.Client.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2), "the first instance kept accepting a session the password change ended");
    }
}
