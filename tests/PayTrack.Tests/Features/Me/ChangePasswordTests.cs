using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Me;

public sealed class ChangePasswordTests : ApiTest
{
    [Fact]
    public async Task ChangePassword_WhenCurrentIsRight_NewOneSignsInAndOtherSessionsEnd()
    {
        var me = await App.RegisterAndSignInAsync(password: "old password 123");
        var other = await App.SignInAsync(me.Email, "old password 123");

        var res = await me.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "old password 123", newPassword = "new password 456" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        (await me.Client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "the caller's own session stays");
        (await App.Authorized(other.AccessToken).GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { email = me.Email, password = "old password 123" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await App.SignInAsync(me.Email, "new password 456");
        await using var db = App.Database.OpenContext();
        (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AuditEvents, e => e.UserId == me.Id && e.Event == "user.password-changed")).ShouldBe(1);
    }

    [Fact]
    public async Task ChangePassword_WhenCurrentIsWrong_Returns400AndKeepsThePassword()
    {
        var me = await App.RegisterAndSignInAsync(password: "old password 123");
        var res = await me.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "not it at all", newPassword = "new password 456" });
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Errors!.Keys.ShouldBe(["currentPassword"]);
        await App.SignInAsync(me.Email, "old password 123");
    }

    [Fact]
    public async Task ChangePassword_WhenNewIsTooShort_Returns400()
    {
        var me = await App.RegisterAndSignInAsync(password: "old password 123");
        var res = await me.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "old password 123", newPassword = "short" });
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Errors!.Keys.ShouldBe(["newPassword"]);
    }

    [Fact]
    public async Task ChangePassword_WithoutToken_Returns401()
    {
        var res = await App.Anonymous().PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "a", newPassword = "b" });
        await res.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
