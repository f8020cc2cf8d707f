using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Auth;

public sealed class RegisterTests : ApiTest
{
    [Fact]
    public async Task Register_WhenFirstUser_IsAdminAndLaterUsersAreUsers()
    {
        var client = App.Anonymous();
        var first = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "first@example.com", password = "first-password-1", displayName = "First" });
        await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var admin = (await first.Content.ReadFromJsonAsync<UserDto>())!;
        admin.Roles.ShouldBe(["admin"]);
        admin.Status.ShouldBe("active");
        admin.DefaultCurrency.ShouldBe("USD");

        var second = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "second@example.com", password = "second-password-1", displayName = "Second", defaultCurrency = "eur" });
        await second.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var user = (await second.Content.ReadFromJsonAsync<UserDto>())!;
        user.Roles.ShouldBe(["user"]);
        user.DefaultCurrency.ShouldBe("EUR");
        user.Id.ShouldNotBe(admin.Id);
    }

    [Fact]
    public async Task Register_WhenManyRaceToBeFirst_ExactlyOneIsAdmin()
    {
        var client = App.Anonymous();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostAsJsonAsync("/api/v1/auth/register", new { email = $"racer{i}@example.com", password = "racing-password-1", displayName = $"Racer {i}" })));
        var users = new List<UserDto>();
        foreach (var r in results)
        {
            await r.ShouldHaveStatusAsync(HttpStatusCode.Created);
            users.Add((await r.Content.ReadFromJsonAsync<UserDto>())!);
        }
        users.Count(u => u.Roles.Contains("admin")).ShouldBe(1);
    }

    [Fact]
    public async Task Register_WhenEmailTakenInAnotherCase_Returns409()
    {
        var client = App.Anonymous();
        (await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "Ann@Example.com", password = "ann-password-1", displayName = "Ann" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var again = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = " ann@example.COM ", password = "other-password-1", displayName = "Ann 2" });
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/email-taken");
    }

    [Theory]
    [InlineData("""{"password":"long-enough-pw","displayName":"X"}""", "email")]
    [InlineData("""{"email":"not-an-email","password":"long-enough-pw","displayName":"X"}""", "email")]
    [InlineData("""{"email":"a@example.com","password":"short","displayName":"X"}""", "password")]
    [InlineData("""{"email":"longaddress@example.com","password":"LongAddress@Example.com","displayName":"X"}""", "password")]
    [InlineData("""{"email":"a@example.com","password":"long-enough-pw"}""", "displayName")]
    [InlineData("""{"email":"a@example.com","password":"long-enough-pw","displayName":"X","defaultCurrency":"XXX"}""", "defaultCurrency")]
    public async Task Register_WhenInvalid_Returns400WithFieldErrorAndCreatesNothing(string body, string field)
    {
        var client = App.Anonymous();
        var res = await client.PostAsync("/api/v1/auth/register", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Errors.ShouldNotBeNull();
        problem.Errors.ShouldContainKey(field);
        await using var db = App.Database.OpenContext();
        db.Users.Count().ShouldBe(0);
    }

    [Fact]
    public async Task Register_StoresPasswordHashedNeverPlain()
    {
        var me = await App.RegisterAndSignInAsync(password: "plain-text-never-stored");
        await using var db = App.Database.OpenContext();
        var stored = db.Users.Single(u => u.Id == me.Id);
        stored.PasswordHash.ShouldNotContain("plain-text-never-stored");
        stored.PasswordHash.Length.ShouldBeGreaterThan(40);
    }
}
