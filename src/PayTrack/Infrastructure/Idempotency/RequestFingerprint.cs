using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace PayTrack.Infrastructure.Idempotency;

/// <summary>
/// The hash an Idempotency-Key is stored with: the whole request as it arrived — method, path, query and
/// body bytes — so that any change to what was sent counts as another request, whatever the handler binds.
/// A multipart body is hashed part by part (each part's headers and bytes), without its boundary, which
/// a client library picks anew on every retry.
/// </summary>
public static class RequestFingerprint
{
    /// <summary>Middleware: a POST that carries an Idempotency-Key keeps its body readable again after binding.</summary>
    public static Task BufferAsync(HttpContext http, RequestDelegate next)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Headers.ContainsKey(IdempotencyFilter.Header)) http.Request.EnableBuffering();
        return next(http);
    }

    public static async Task<string> OfAsync(HttpRequest request, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.PathBase}{request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var boundary = Boundary(request.ContentType);
            if (boundary is null) await AppendAsync(hash, request.Body, ct);
            else
            {
                var reader = new MultipartReader(boundary, request.Body);
                while (await reader.ReadNextSectionAsync(ct) is { } section)
                {
                    foreach (var (name, value) in section.Headers ?? []) hash.AppendData(Encoding.UTF8.GetBytes($"{name}: {value}\n"));
                    await AppendAsync(hash, section.Body, ct);
                    hash.AppendData("\n--\n"u8);
                }
            }
            request.Body.Position = 0;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string? Boundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(media.Boundary).Value is { Length: > 0 } b ? b : null;

    private static async Task AppendAsync(IncrementalHash hash, Stream body, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, n);
    }
}
