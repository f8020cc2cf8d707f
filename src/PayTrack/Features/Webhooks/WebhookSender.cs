using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace PayTrack.Features.Webhooks;

/// <summary>The outcome of one attempt: the status code (null when no answer came) and how long it took.</summary>
public sealed record WebhookAttempt(int? StatusCode, int DurationMs, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends one signed webhook request (Standard Webhooks): <c>webhook-id</c>, <c>webhook-timestamp</c> and
/// <c>webhook-signature: v1,base64(HMAC-SHA256(secret, id.timestamp.body))</c>. No redirects are
/// followed, no proxy is used, the whole attempt has a timeout, and every connection checks the
/// addresses its host resolves to (<see cref="WebhookAddresses"/>).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;

    public WebhookSender(WebhookOptions options, TimeProvider clock)
    {
        _clock = clock;
        var allowPrivate = options.AllowPrivateNetworks;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            ConnectCallback = async (context, ct) =>
            {
                var addresses = await WebhookAddresses.ResolveAsync(context.DnsEndPoint.Host, ct);
                if (!allowPrivate && addresses.Any(a => !WebhookAddresses.IsPublic(a)))
                    throw new HttpRequestException($"Refused: {context.DnsEndPoint.Host} resolves to a loopback, private or link-local address.");
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("PayTrack-Webhooks/1");
    }

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>One attempt; <paramref name="timeout"/>, when shorter than the client's, bounds this one.</summary>
    public async Task<WebhookAttempt> SendAsync(string url, string secret, string id, string body, CancellationToken ct, TimeSpan? timeout = null)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t) budget.CancelAfter(t);
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Sign(secret, id, timestamp, body));
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, budget.Token);
            return new WebhookAttempt((int)response.StatusCode, (int)watch.ElapsedMilliseconds, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new WebhookAttempt(null, (int)watch.ElapsedMilliseconds, ex is OperationCanceledException ? "timed out" : ex.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
