using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PayTrack.Infrastructure.Payments;

/// <summary>
/// The built-in sandbox payment provider: a separate HTTP server on a loopback port, so PayTrack
/// talks to it exactly as to a real provider. <c>paymentMethod</c> picks the outcome:
/// <c>sandbox:success</c> (default) settles to success, <c>sandbox:decline</c> to failed, and
/// <c>sandbox:unavailable</c> answers every call with 503 (for a withdrawal, its <c>destination</c>
/// picks the same way). Faults can be injected for tests.
/// </summary>
public sealed class SandboxProvider(PaymentsOptions options, CallbackSigner signer, ILogger<SandboxProvider> logger) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _payments = new();
    private readonly ConcurrentDictionary<string, string> _byIdempotencyKey = new();
    private readonly HttpClient _callbacks = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    /// <summary>Faults a test can switch on through <c>POST /v1/_sandbox/faults</c>.</summary>
    public sealed record Faults(bool DropCallbacks = false, bool DuplicateCallbacks = false, int CallbackDelayMs = 0,
        int FailNextRequests = 0, int SlowResponseMs = 0, bool ForgetPayments = false, int SlowNextRequests = 0);

    private Faults _faults = new();
    private int _failuresLeft;
    private int _slowLeft;

    public string BaseUrl { get; private set; } = "";
    public int SubmitCount => _payments.Count;

    private sealed class Entry
    {
        public required ProviderPaymentRequest Request { get; init; }
        public required string Id { get; init; }
        public string Status { get; set; } = "pending";
        public string? Reason { get; set; }
        public ProviderPayment View() => new(Id, Request.Reference, Status, Reason);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.SandboxPort));
        var app = builder.Build();
        app.MapPost("/v1/payments", (Delegate)SubmitAsync);
        app.MapGet("/v1/payments/{id}", (Delegate)GetAsync);
        app.MapPost("/v1/_sandbox/faults", async (HttpContext http) =>
        {
            _faults = await JsonSerializer.DeserializeAsync<Faults>(http.Request.Body, JsonSerializerOptions.Web) ?? new Faults();
            _failuresLeft = _faults.FailNextRequests;
            _slowLeft = _faults.SlowNextRequests;
            return Results.NoContent();
        });
        await app.StartAsync(cancellationToken);
        _app = app;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        logger.LogInformation("Sandbox payment provider listening on {BaseUrl}", BaseUrl);
    }

    private async Task<IResult> SubmitAsync(HttpContext http)
    {
        if (await Misbehave() is { } fault) return fault;
        var request = await JsonSerializer.DeserializeAsync<ProviderPaymentRequest>(http.Request.Body, JsonSerializerOptions.Web);
        if (request is null || string.IsNullOrEmpty(request.Reference)) return Results.BadRequest(new { error = "reference is required" });
        if ((request.Method ?? request.Destination) == "sandbox:unavailable") return Results.StatusCode(503);
        if (request.Method is not null && !request.Method.StartsWith("sandbox:", StringComparison.Ordinal) && request.Kind == "deposit")
            return Results.UnprocessableEntity(new { error = $"unknown payment method '{request.Method}'" });

        // The provider's own idempotency: the same key never makes a second payment.
        var key = (string?)http.Request.Headers["Idempotency-Key"] ?? request.Reference;
        var id = _byIdempotencyKey.GetOrAdd(key, _ => "sbx_" + Guid.NewGuid().ToString("N"));
        var created = false;
        var entry = _payments.GetOrAdd(id, _ => { created = true; return new Entry { Id = id, Request = request }; });
        if (created) _ = Task.Run(() => SettleLaterAsync(entry));
        return Results.Json(entry.View(), JsonSerializerOptions.Web, statusCode: 202);
    }

    private async Task<IResult> GetAsync(string id)
    {
        if (await Misbehave() is { } fault) return fault;
        if (_faults.ForgetPayments || !_payments.TryGetValue(id, out var entry))
        {
            // Looking up by our reference works too.
            entry = _payments.Values.FirstOrDefault(e => e.Request.Reference == id);
            if (_faults.ForgetPayments || entry is null) return Results.NotFound(new { error = "no such payment" });
        }
        if ((entry.Request.Method ?? entry.Request.Destination) == "sandbox:unavailable") return Results.StatusCode(503);
        return Results.Json(entry.View(), JsonSerializerOptions.Web);
    }

    private async Task<IResult?> Misbehave()
    {
        if (_faults.SlowResponseMs > 0) await Task.Delay(_faults.SlowResponseMs, _stopping.Token);
        // A slow request is answered normally once the delay is over (the caller may have given up).
        if (Interlocked.Decrement(ref _slowLeft) >= 0)
        {
            await Task.Delay(800, _stopping.Token);
            return null;
        }
        if (Interlocked.Decrement(ref _failuresLeft) >= 0) return Results.StatusCode(503);
        return null;
    }

    private async Task SettleLaterAsync(Entry entry)
    {
        try
        {
            await Task.Delay(options.SandboxSettleDelayMs, _stopping.Token);
            (entry.Status, entry.Reason) = (entry.Request.Method ?? entry.Request.Destination) switch
            {
                "sandbox:decline" => ("failed", entry.Request.Kind == "deposit" ? "card declined" : "destination rejected"),
                _ => ("success", null),
            };
            if (_faults.DropCallbacks || string.IsNullOrEmpty(entry.Request.CallbackUrl)) return;
            if (_faults.CallbackDelayMs > 0) await Task.Delay(_faults.CallbackDelayMs, _stopping.Token);
            var sends = _faults.DuplicateCallbacks ? 3 : 1;
            for (var i = 0; i < sends; i++) await SendCallbackAsync(entry);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex)
        {
            logger.LogInformation(ex, "Sandbox callback for {Reference} not delivered; PayTrack's reconciler will ask", entry.Request.Reference);
        }
    }

    private async Task SendCallbackAsync(Entry entry)
    {
        var body = JsonSerializer.Serialize(new ProviderCallback(entry.Id, entry.Request.Reference, entry.Status, entry.Reason), JsonSerializerOptions.Web);
        using var message = new HttpRequestMessage(HttpMethod.Post, entry.Request.CallbackUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        message.Headers.Add(CallbackSigner.Header, signer.Sign(body, DateTimeOffset.UtcNow));
        using var response = await _callbacks.SendAsync(message, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may dispose this singleton before it asks its hosted services to stop (seen in test
        // teardown on a loaded machine): then it is already stopped.
        if (Volatile.Read(ref _disposed) != 0) return;
        await _stopping.CancelAsync();
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_app is not null) await _app.DisposeAsync();
        _callbacks.Dispose();
        _stopping.Dispose();
    }
}
