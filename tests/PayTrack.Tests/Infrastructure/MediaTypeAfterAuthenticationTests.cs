using System.Net;
using System.Text;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

/// <summary>Issue #9 item 7: who you are is checked before what you sent (401/403 before 415).</summary>
public sealed class MediaTypeAfterAuthenticationTests : ApiTest
{
    private static readonly string[] Uploads = ["/api/v1/imports", "/api/v1/imports/preview", "/api/v1/exchange-rates/import", $"/api/v1/expenses/{Guid.NewGuid()}/receipts"];

    private static StringContent WrongType() => new("{\"file\": \"x\"}", Encoding.UTF8, "text/plain");

    [Fact]
    public async Task Anonymous_WithWrongContentType_Returns401NotUnsupportedMediaType()
    {
        var anonymous = App.Anonymous();
        foreach (var path in Uploads.Append("/api/v1/accounts").Append("/api/v1/transfers"))
        {
            var res = await anonymous.PostAsync(path, WrongType());
            await res.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            res.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer", path);
        }
        // Multipart too, and JSON: anonymous is anonymous whatever the body.
        await (await anonymous.PostAsync(Uploads[0], new MultipartFormDataContent { { new StringContent("x"), "file", "x.csv" } })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsync(Uploads[1], new StringContent("{}", Encoding.UTF8, "application/json"))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignedIn_WithWrongContentType_Returns415Problem()
    {
        var admin = await App.RegisterAndSignInAsync();
        var expense = await admin.Client.CreateExpenseAsync(new { amount = "4.20", date = "2026-03-01", payee = "Bakery" });

        await (await admin.Client.PostAsync("/api/v1/imports", WrongType())).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await admin.Client.PostAsync("/api/v1/imports/preview", WrongType())).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await admin.Client.PostAsync("/api/v1/exchange-rates/import", WrongType())).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await admin.Client.PostAsync($"/api/v1/expenses/{expense.Id}/receipts", WrongType())).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        // JSON endpoints keep refusing other media types once the caller is known.
        await (await admin.Client.PostAsync("/api/v1/accounts", WrongType())).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task SignedInWithoutTheRole_WithWrongContentType_Returns403()
    {
        await App.RegisterAndSignInAsync(); // the first user is the admin
        var user = await App.RegisterAndSignInAsync();
        await (await user.Client.PostAsync("/api/v1/exchange-rates/import", WrongType())).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync("/api/v1/exchange-rates", WrongType())).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}
