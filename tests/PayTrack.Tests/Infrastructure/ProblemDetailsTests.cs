using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

public sealed class ProblemDetailsTests : ApiTest
{
    [Fact]
    public async Task MalformedJson_Returns400Problem()
    {
        var res = await App.Anonymous().PostAsync("/api/v1/auth/register", new StringContent("{\"email\": ", Encoding.UTF8, "application/json"));
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Detail!.ShouldContain("JSON");
    }

    [Fact]
    public async Task WrongJsonType_Returns400Problem()
    {
        var res = await App.Anonymous().PostAsync("/api/v1/auth/register", new StringContent("{\"email\": 42}", Encoding.UTF8, "application/json"));
        await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongMediaType_Returns415Problem()
    {
        var res = await App.Anonymous().PostAsync("/api/v1/auth/register", new StringContent("email=a", Encoding.UTF8, "text/plain"));
        await res.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task UnknownApiRoute_Returns404Problem()
    {
        var me = await App.RegisterAndSignInAsync();
        await (await me.Client.GetAsync("/api/v1/no-such-thing")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await App.Anonymous().GetAsync("/api/v1/no-such-thing")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Returns405Problem()
    {
        var me = await App.RegisterAndSignInAsync();
        await (await me.Client.DeleteAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task UnhandledException_Returns500WithoutInternals()
    {
        var me = await App.RegisterAndSignInAsync();
        // Break the database under the running app: the next authenticated request fails inside.
        await using (var db = App.Database.OpenContext())
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE sessions RENAME TO sessions_gone");

        var res = await me.Client.GetAsync("/api/v1/me");
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        var body = await res.Content.ReadAsStringAsync();
        body.ShouldNotContain("sessions");
        body.ShouldNotContain("Exception");
        problem.TraceId!.Length.ShouldBe(32);
    }
}
