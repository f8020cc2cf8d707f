using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PayTrack.Infrastructure.Web;

/// <summary>An endpoint that takes a larger JSON body than <see cref="RequestLimits.DefaultJsonBodyBytes"/> (batches, rate lists).</summary>
public sealed record JsonBodyLimit(long Bytes);

/// <summary>
/// Limits on what a request may be, answered as problem details. Kestrel would refuse an over-long
/// target, too many or too large headers, or header bytes that are not ASCII with a bare response
/// before the app sees the request; so Kestrel's own limits are set a little higher and the app's
/// limits are enforced here, where the refusal can be an RFC 9457 problem like every other one.
/// JSON bodies are capped per endpoint: a few kilobytes describe any single expense or transfer.
/// </summary>
public static class RequestLimits
{
    public const int MaxTargetLength = 8 * 1024;
    public const int MaxHeaderCount = 100;
    public const int MaxHeaderBytes = 32 * 1024;
    public const long DefaultJsonBodyBytes = 64 * 1024;

    public static void ConfigureKestrel(KestrelServerOptions o)
    {
        o.Limits.MaxRequestLineSize = 8 * MaxTargetLength;
        o.Limits.MaxRequestHeadersTotalSize = 8 * MaxHeaderBytes;
        o.Limits.MaxRequestHeaderCount = 10 * MaxHeaderCount;
        // Header bytes above 0x7F reach the app (as Latin-1) so that they can be refused with a problem body.
        o.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
    }

    public static TBuilder WithJsonBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new JsonBodyLimit(bytes));

    /// <summary>First in the pipeline: the request line and headers.</summary>
    public static async Task CheckShapeAsync(HttpContext http, RequestDelegate next)
    {
        var target = http.Request.Path.Value?.Length + http.Request.PathBase.Value?.Length + http.Request.QueryString.Value?.Length ?? 0;
        if (target > MaxTargetLength)
        {
            await RefuseAsync(http, StatusCodes.Status414RequestUriTooLong, "URI too long", $"The request's path and query are longer than {MaxTargetLength} characters.");
            return;
        }
        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in http.Request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0) + 4;
                if (value is not null && !IsVisibleAscii(value))
                {
                    await RefuseAsync(http, StatusCodes.Status400BadRequest, "Bad request", $"The {name} header holds characters that are not allowed; header values are printable ASCII.");
                    return;
                }
            }
        }
        if (count > MaxHeaderCount || bytes > MaxHeaderBytes)
        {
            await RefuseAsync(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large",
                $"A request may carry at most {MaxHeaderCount} header fields and {MaxHeaderBytes / 1024} KiB of headers.");
            return;
        }
        await next(http);
    }

    /// <summary>After routing and authorization: a JSON body larger than its endpoint takes is refused with 413 before it is read.</summary>
    public static async Task CheckJsonBodyAsync(HttpContext http, RequestDelegate next)
    {
        var contentType = http.Request.ContentType;
        if (contentType is not null && (contentType.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            var limit = http.GetEndpoint()?.Metadata.GetMetadata<JsonBodyLimit>()?.Bytes ?? DefaultJsonBodyBytes;
            if (http.Request.ContentLength > limit)
            {
                await RefuseAsync(http, StatusCodes.Status413PayloadTooLarge, "Payload too large", $"This request's JSON body may be at most {limit / 1024} KiB.");
                return;
            }
            // A body without a length (chunked) fails while it is read, with the same 413 problem, whatever the server.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
            http.Request.Body = new CappedStream(http.Request.Body, limit);
        }
        await next(http);
    }

    private static bool IsVisibleAscii(string value)
    {
        foreach (var c in value)
            if (c is < ' ' and not '\t' or > '~') return false;
        return true;
    }

    private static string TypeFor(int status) => status switch
    {
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        431 => "https://tools.ietf.org/html/rfc6585#section-5",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    };

    /// <summary>Reads at most <c>limit</c> bytes of a body, then fails the read as a 413.</summary>
    private sealed class CappedStream(Stream inner, long limit) : Stream
    {
        private long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            _read += n;
            if (_read > limit) throw new Microsoft.AspNetCore.Http.BadHttpRequestException($"This request's JSON body may be at most {limit / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);
            return n;
        }
    }

    private static async Task RefuseAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeFor(status) },
        });
    }
}
