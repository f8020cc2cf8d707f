using System.Text;

namespace PayTrack.Infrastructure.Live;

/// <summary>
/// Writes one Server-Sent Events stream: each message of the subscription as <c>event:</c> and <c>data:</c>
/// lines, and a comment line whenever nothing was sent for <c>keepAlive</c> (<see cref="LiveOptions"/>), until the client goes
/// away or <paramref name="stillAllowed"/> (asked after every message and every keep-alive) says no.
/// </summary>
public sealed class EventStream(LiveSubscription subscription, TimeSpan keepAlive, Func<CancellationToken, Task<bool>> stillAllowed) : IResult, IDisposable
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var body = http.Response.Body;
        try
        {
            await Write(body, ": connected\n\n", ct);
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(keepAlive);
                LiveMessage? message = null;
                try
                {
                    if (await subscription.Reader.WaitToReadAsync(wait.Token)) subscription.Reader.TryRead(out message);
                    else return;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { /* quiet for a while: keep-alive */ }

                if (!await stillAllowed(ct)) return;
                await Write(body, message is null ? ": keep-alive\n\n" : $"event: {message.Event}\ndata: {message.Data}\n\n", ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { /* the client left */ }
        finally { subscription.Dispose(); }
    }

    private static async Task Write(Stream body, string text, CancellationToken ct)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await body.FlushAsync(ct);
    }

    public void Dispose() => subscription.Dispose();
}
