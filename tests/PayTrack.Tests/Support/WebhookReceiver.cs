using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace PayTrack.Tests.Support;

/// <summary>
/// A real HTTP receiver on a loopback port that checks every request's signature with an independent
/// implementation (the StandardWebhooks package) and answers what <see cref="Answer"/> says for the
/// n-th attempt of a webhook-id.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Request(string WebhookId, string Timestamp, string Body, bool SignatureValid, int Answered);

    private readonly WebApplication _app;
    public ConcurrentQueue<Request> Requests { get; } = new();
    /// <summary>The secret to verify with (set once the webhook is created).</summary>
    public string? Secret { get; set; }
    /// <summary>(webhook-id, attempt number 1..) → status to answer.</summary>
    public Func<string, int, int> Answer { get; set; } = (_, _) => 200;
    public string Url { get; private set; } = "";

    public WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var id = http.Request.Headers["webhook-id"].ToString();
            bool valid;
            try
            {
                new StandardWebhook(Secret ?? throw new InvalidOperationException("no secret")).Verify(body, http.Request.Headers);
                valid = true;
            }
            catch (Exception) { valid = false; }
            var attempt = Requests.Count(r => r.WebhookId == id) + 1;
            var status = Answer(id, attempt);
            Requests.Enqueue(new Request(id, http.Request.Headers["webhook-timestamp"].ToString(), body, valid, status));
            if (status is 301 or 302 or 307) http.Response.Headers.Location = "/elsewhere";
            return Results.StatusCode(status);
        });
        _app.MapPost("/elsewhere", () => Results.StatusCode(299));
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = address.TrimEnd('/') + "/hook";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
