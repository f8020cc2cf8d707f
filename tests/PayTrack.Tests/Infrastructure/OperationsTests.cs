using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

public sealed class OperationsTests : ApiTest
{
    [Fact]
    public async Task HealthLive_And_Ready_Answer200()
    {
        var client = App.Anonymous();
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HealthReady_WhenAMigrationIsMissing_Answers503()
    {
        await using (var db = App.Database.OpenContext())
            await db.Database.ExecuteSqlRawAsync("DELETE FROM schema_versions WHERE version = (SELECT max(version) FROM schema_versions)");
        (await App.Anonymous().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await App.Anonymous().GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OpenApi_DescribesEveryApiEndpoint()
    {
        var json = await App.Anonymous().GetStringAsync("/openapi/v1.json");
        using var doc = JsonDocument.Parse(json);
        var paths = doc.RootElement.GetProperty("paths");
        string[] expected =
        [
            "/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/auth/logout",
            "/api/v1/me", "/api/v1/admin/users", "/api/v1/admin/users/{id}/suspend",
            "/api/v1/admin/users/{id}/reactivate", "/api/v1/admin/users/{id}/close",
            "/api/v1/accounts", "/api/v1/accounts/{id}", "/api/v1/accounts/{id}/entries",
            "/api/v1/transfers", "/api/v1/transfers/batch", "/api/v1/transfers/{id}", "/api/v1/transfers/{id}/capture", "/api/v1/transfers/{id}/void",
            "/api/v1/deposits", "/api/v1/deposits/{id}", "/api/v1/withdrawals", "/api/v1/withdrawals/{id}",
            "/api/v1/audit", "/api/v1/admin/audit/verify",
        ];
        foreach (var path in expected) paths.TryGetProperty(path, out _).ShouldBeTrue($"{path} missing from the OpenAPI document");
        doc.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _).ShouldBeTrue();
        var transferParams = paths.GetProperty("/api/v1/transfers").GetProperty("post").GetProperty("parameters").EnumerateArray();
        transferParams.ShouldContain(p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task ApiReference_IsBrowsable()
    {
        var res = await App.Anonymous().GetAsync("/api-docs/index.html");
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await res.Content.ReadAsStringAsync()).ShouldContain("swagger-ui");
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        var res = await App.Anonymous().GetAsync("/health/live");
        res.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        res.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        res.Headers.Contains("Content-Security-Policy").ShouldBeTrue();
    }
}
