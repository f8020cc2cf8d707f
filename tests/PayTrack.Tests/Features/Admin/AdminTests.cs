using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Admin;

public sealed class AdminTests : ApiTest
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/v1/admin/users" },
        { "POST", "/api/v1/admin/users/{id}/suspend" },
        { "POST", "/api/v1/admin/users/{id}/reactivate" },
        { "POST", "/api/v1/admin/users/{id}/close" },
    };

    private static HttpRequestMessage Request(string method, string path, Guid id) =>
        new(new HttpMethod(method), path.Replace("{id}", id.ToString(), StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AdminEndpoint_RoleMatrix(string method, string path)
    {
        var admin = await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        var target = await App.RegisterAndSignInAsync();
        if (path.EndsWith("/reactivate", StringComparison.Ordinal))
            await (await admin.Client.PostAsync($"/api/v1/admin/users/{target.Id}/suspend", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        await (await App.Anonymous().SendAsync(Request(method, path, target.Id))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await user.Client.SendAsync(Request(method, path, target.Id))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.SendAsync(Request(method, path, target.Id))).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListUsers_PagesWithCursorOverEveryone()
    {
        var admin = await App.RegisterAndSignInAsync();
        for (var i = 0; i < 4; i++) await App.RegisterAndSignInAsync();

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = (await admin.Client.GetFromJsonAsync<PageDto<UserDto>>($"/api/v1/admin/users?limit=2&cursor={cursor}"))!;
            page.Items.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Items.Select(u => u.Id));
            cursor = page.NextCursor;
        } while (cursor is not null);
        seen.Count.ShouldBe(5);
        seen.Distinct().Count().ShouldBe(5);
        seen[0].ShouldBe(admin.Id);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("cursor=garbage")]
    public async Task ListUsers_WhenPagingArgumentsBad_Returns400(string query)
    {
        var admin = await App.RegisterAndSignInAsync();
        await (await admin.Client.GetAsync($"/api/v1/admin/users?{query}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Suspend_RefusesTheUsersTokensAndSignIn_ReactivateLetsThemBackIn()
    {
        var admin = await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        (await user.Client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var res = await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/suspend", null);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<UserDto>())!.Status.ShouldBe("suspended");

        await (await user.Client.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var refresh = await App.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.Tokens.RefreshToken });
        await refresh.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var signIn = await App.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password });
        await signIn.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "/problems/account-suspended");

        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/reactivate", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var tokens = await App.SignInAsync(user.Email, user.Password);
        (await App.Authorized(tokens.AccessToken).GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Suspend_WhenStatusChangedDirectlyInDatabase_TokenRefusedOnNextRequest()
    {
        await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        await using (var db = App.Database.OpenContext())
        {
            var row = db.Users.Single(u => u.Id == user.Id);
            row.Status = "suspended";
            await db.SaveChangesAsync();
        }
        await (await user.Client.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Close_IsTerminal()
    {
        var admin = await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/close", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await user.Client.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/reactivate", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/illegal-state-transition");
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/suspend", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var signIn = await App.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password });
        await signIn.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "/problems/account-closed");
    }

    [Fact]
    public async Task Close_WhenAWalletHoldsMoney_Is409AndChangesNothing()
    {
        var admin = await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(user);
        await App.FundAsync(user.Id, wallet.Id, "0.01");
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/close", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/balance-not-zero");
        (await user.Client.GetFromJsonAsync<UserDto>("/api/v1/me"))!.Status.ShouldBe("active");
        (await user.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Status.ShouldBe("active");
    }

    [Fact]
    public async Task StatusChanges_WhenIllegalOrUnknownOrSelf_AreRefused()
    {
        var admin = await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/reactivate", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/illegal-state-transition");
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{Guid.NewGuid()}/suspend", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{admin.Id}/suspend", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/cannot-change-own-status");
        await (await admin.Client.PostAsync("/api/v1/admin/users/not-a-guid/suspend", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
