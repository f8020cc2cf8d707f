using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// The transfer counter is process-wide (one static meter), so these tests run alone: no other test
/// books transfers while they compare counts.
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public sealed partial class MetricsTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Metrics:AllowedNetworks:0"] = "10.20.0.0/16",
        ["Metrics:AllowedNetworks:1"] = "2001:db8::/32",
    };

    [Fact]
    public async Task Metrics_FromLoopback_ShowsHttpRequestsAndTransfersByOutcome()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "100.00");
        var before = await ScrapeAsync(IPAddress.Loopback);
        before.Status.ShouldBe(200);

        await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "10.00" })).ShouldHaveStatusAsync(HttpStatusCode.Created);
        await (await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "1000.00" })).ShouldHaveStatusAsync(HttpStatusCode.UnprocessableEntity);
        var hold = await Send(ann, new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "5.00", hold = true, expiresInSeconds = 3600 });
        await hold.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var held = (await hold.Content.ReadFromJsonAsync<TransferDto>())!;
        await (await ann.Client.PostAsync($"/api/v1/transfers/{held.Id}/capture", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        // A request's duration is recorded as it ends, which may be just after its client has the answer.
        var after = await Eventually.ReturnsAsync(() => ScrapeAsync(IPAddress.Loopback),
            m => RequestCount(m.Body, "/api/v1/transfers/{id:guid}/capture", "200") >= 1, "the capture's request metric");
        after.Status.ShouldBe(200);
        after.ContentType.ShouldStartWith("text/plain");
        foreach (var outcome in new[] { "success", "failed", "pending", "captured" })
            (Transfers(after.Body, outcome) - Transfers(before.Body, outcome)).ShouldBe(1, $"outcome={outcome}");
        Transfers(after.Body, "voided").ShouldBe(Transfers(before.Body, "voided"));

        // ASP.NET Core's request duration histogram, by route and status.
        after.Body.ShouldContain("# TYPE http_server_request_duration_seconds histogram");
        RequestCount(after.Body, "/api/v1/transfers/", "201").ShouldBeGreaterThanOrEqualTo(2);
        RequestCount(after.Body, "/api/v1/transfers/", "422").ShouldBeGreaterThanOrEqualTo(1);
        RequestCount(after.Body, "/api/v1/transfers/{id:guid}/capture", "200").ShouldBeGreaterThanOrEqualTo(1);
        if (TestDatabase.IsPostgres)
        {
            // Npgsql's connection pool: connections by state (idle/used) and the pool's maximum.
            after.Body.ShouldContain("db_client_connection_count{");
            after.Body.ShouldContain("db_client_connection_max{");
        }
    }

    [Theory]
    [InlineData("10.20.3.4")]
    [InlineData("::ffff:10.20.0.1")]
    [InlineData("2001:db8::7")]
    [InlineData("::1")]
    public async Task Metrics_FromAnAllowedNetwork_Answers(string address)
    {
        (await ScrapeAsync(IPAddress.Parse(address))).Status.ShouldBe(200);
    }

    [Theory]
    [InlineData("203.0.113.5")]
    [InlineData("10.21.0.1")]
    [InlineData("192.168.1.1")]
    public async Task Metrics_FromAnotherAddress_Returns404(string address)
    {
        var res = await ScrapeAsync(IPAddress.Parse(address));
        res.Status.ShouldBe(404);
        res.Body.ShouldNotContain("http_server_request_duration");
    }

    [Fact]
    public async Task Metrics_WithoutARemoteAddress_Returns404()
    {
        (await ScrapeAsync(null)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Metrics_ThroughALocalProxyForAnOutsideClient_Returns404()
    {
        // nginx on the same machine: the connection is loopback, but the client it names is not.
        (await ScrapeAsync(IPAddress.Loopback, forwardedFor: "203.0.113.9")).Status.ShouldBe(404);
        (await ScrapeAsync(IPAddress.Loopback, forwardedFor: "10.20.0.9")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task Metrics_FromAnUnknownClientClaimingToBeLocal_Returns404()
    {
        // X-Forwarded-For is only believed from a trusted proxy.
        (await ScrapeAsync(IPAddress.Parse("203.0.113.5"), forwardedFor: "127.0.0.1")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Metrics_ShowOutboxDeliveriesByOutcome_TheirLag_AndTheBacklog()
    {
        var handler = new RecordingHandler("metrics-probe", "probe.ok", "probe.dead") { Failing = m => m.Type == "probe.dead" };
        await using var app = new PayTrackApp(await TestDatabase.CreateAsync(), new Dictionary<string, string?>
        {
            ["Outbox:PollIntervalMs"] = "50", ["Outbox:MaxAttempts"] = "1", ["Outbox:MetricsIntervalMs"] = "100",
        }, services: s => s.AddSingleton<PayTrack.Infrastructure.Outbox.IOutboxHandler>(handler));
        _ = app.Server;
        foreach (var type in new[] { "probe.ok", "probe.ok", "probe.ok", "probe.dead" })
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PayTrack.Data.PayTrackDb>();
            scope.ServiceProvider.GetRequiredService<PayTrack.Infrastructure.Outbox.DomainEvents>()
                .AddTo(db, new PayTrack.Infrastructure.Outbox.DomainEvent(type, null, null, "probe", Guid.CreateVersion7(), new { }));
            await db.SaveChangesAsync();
        }

        async Task<string> ScrapeAppAsync()
        {
            var http = await app.Server.SendAsync(c => { c.Request.Method = "GET"; c.Request.Path = "/metrics"; c.Connection.RemoteIpAddress = IPAddress.Loopback; });
            using var reader = new StreamReader(http.Response.Body);
            return await reader.ReadToEndAsync();
        }
        var body = await Eventually.ReturnsAsync(ScrapeAppAsync,
            b => SumOf(b, "paytrack_outbox_deliveries_total", "handler=\"metrics-probe\"", "outcome=\"done\"") == 3
              && SumOf(b, "paytrack_outbox_deliveries_total", "handler=\"metrics-probe\"", "outcome=\"dead\"") == 1
              && SumOf(b, "paytrack_outbox_dead") >= 1,
            "the outbox metrics to show three deliveries and one dead message");
        SumOf(body, "paytrack_outbox_delivery_lag_seconds_count", "handler=\"metrics-probe\"").ShouldBe(3);
        body.ShouldContain("paytrack_outbox_pending");
        body.ShouldContain("paytrack_outbox_oldest_pending_age_seconds");
    }

    private static Task<HttpResponseMessage> Send(SignedInUser who, object body) =>
        PayTrackApp.PostIdempotentAsync(who.Client, "/api/v1/transfers", body);

    private async Task<(int Status, string ContentType, string Body)> ScrapeAsync(IPAddress? remote, string? forwardedFor = null)
    {
        var http = await App.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/metrics";
            c.Connection.RemoteIpAddress = remote;
            if (forwardedFor is not null) c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
        using var reader = new StreamReader(http.Response.Body);
        return (http.Response.StatusCode, http.Response.ContentType ?? "", await reader.ReadToEndAsync());
    }

    private static double Transfers(string body, string outcome) =>
        SumOf(body, "paytrack_transfers_total", $"outcome=\"{outcome}\"");

    private static double RequestCount(string body, string route, string status) =>
        SumOf(body, "http_server_request_duration_seconds_count", $"http_route=\"{route}\"", $"http_response_status_code=\"{status}\"");

    /// <summary>The sum of a metric's samples whose labels include all of <paramref name="labels"/>.</summary>
    private static double SumOf(string body, string metric, params string[] labels) =>
        body.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == metric && labels.All(m.Groups["labels"].Value.Contains))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    // Label values may hold braces (route templates), so the label set runs to the last "} ".
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex Sample();
}
