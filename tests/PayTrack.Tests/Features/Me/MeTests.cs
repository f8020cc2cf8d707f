using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Me;

public sealed class MeTests : ApiTest
{
    [Fact]
    public async Task GetMe_AnswersTheCallersProfile()
    {
        var me = await App.RegisterAndSignInAsync(displayName: "Mia", currency: "JPY");
        var profile = (await me.Client.GetFromJsonAsync<UserDto>("/api/v1/me"))!;
        profile.Id.ShouldBe(me.Id);
        profile.Email.ShouldBe(me.Email);
        profile.Roles.ShouldBe(["admin"]);
        profile.Status.ShouldBe("active");
        profile.DisplayName.ShouldBe("Mia");
        profile.DefaultCurrency.ShouldBe("JPY");
    }

    [Fact]
    public async Task PatchMe_ChangesOnlyWhatIsSent()
    {
        var me = await App.RegisterAndSignInAsync(displayName: "Old");
        var res = await me.Client.PatchAsJsonAsync("/api/v1/me", new { defaultCurrency = "bhd" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var after = (await res.Content.ReadFromJsonAsync<UserDto>())!;
        after.DefaultCurrency.ShouldBe("BHD");
        after.DisplayName.ShouldBe("Old");

        after = (await (await me.Client.PatchAsJsonAsync("/api/v1/me", new { displayName = "  New  " })).Content.ReadFromJsonAsync<UserDto>())!;
        after.DisplayName.ShouldBe("New");
        after.DefaultCurrency.ShouldBe("BHD");
    }

    [Fact]
    public async Task PatchMe_WhenInvalid_Returns400AndChangesNothing()
    {
        var me = await App.RegisterAndSignInAsync(displayName: "Kept");
        var res = await me.Client.PatchAsJsonAsync("/api/v1/me", new { displayName = " ", defaultCurrency = "ABC" });
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Errors!.Keys.ShouldBe(["displayName", "defaultCurrency"], ignoreOrder: true);
        var profile = (await me.Client.GetFromJsonAsync<UserDto>("/api/v1/me"))!;
        profile.DisplayName.ShouldBe("Kept");
        profile.DefaultCurrency.ShouldBe("USD");
    }

    [Fact]
    public async Task Me_WithoutToken_Returns401()
    {
        var res = await App.Anonymous().GetAsync("/api/v1/me");
        await res.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        res.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }
}
