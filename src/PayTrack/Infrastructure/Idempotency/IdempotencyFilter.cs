using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Infrastructure.Idempotency;

/// <summary>
/// Honours the <c>Idempotency-Key</c> header on a POST: replays a finished request's response,
/// refuses a key reused with another request (422) or still in flight (409), and otherwise lets the
/// handler run once, storing its response.
/// </summary>
public sealed class IdempotencyFilter(bool required, bool inHandler = false) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    /// <summary>
    /// Printable ASCII without spaces: a key is compared byte for byte, so nothing that a proxy or client
    /// library might trim, fold or re-encode is accepted. (Leading and trailing blanks never reach the app:
    /// HTTP strips them from every header value.)
    /// </summary>
    public static bool IsKeyText(string key)
    {
        foreach (var c in key)
            if (c is <= ' ' or > '~') return false;
        return true;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string? key = http.Request.Headers[Header];
        if (string.IsNullOrEmpty(key))
        {
            return required
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Header] = [$"The {Header} header is required on this request."] })
                : await next(context);
        }
        if (key.Length > 255)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Header] = [$"The {Header} must be 1 to 255 characters."] });
        if (!IsKeyText(key))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Header] = [$"The {Header} may hold only printable ASCII characters without spaces (for example a UUID)."] });

        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var hash = await RequestFingerprint.OfAsync(http.Request, http.RequestAborted);

        if (inHandler)
        {
            // The handler checks and stores the key in its own transaction; here only duplicates running now are stopped.
            var deferred = store.Deferred = new DeferredKey(http.User.UserId(), key, hash);
            var running = http.RequestServices.GetRequiredService<IdempotencyInFlight>();
            if (!running.TryEnter(deferred)) return InFlight();
            try { return await next(context); }
            finally { running.Leave(deferred); }
        }

        var claim = await store.ClaimAsync(http.User.UserId(), key, hash, http.RequestAborted);
        if (claim is not ClaimResult.Claimed) return Answer(claim);

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await store.ReleaseAsync();
            throw;
        }
        if (store.Completed) return result;

        var (status, value) = Unwrap(result);
        if (status == StatusCodes.Status400BadRequest || status >= 500)
        {
            await store.ReleaseAsync(); // shape errors are not a result to remember; fix and retry with the same key
            return result;
        }
        await store.CompleteAsync(status, value, http.RequestAborted);
        return result;
    }

    private static IResult KeyReused() => ProblemSetup.Problem(422, "idempotency-key-reused", "Idempotency-Key reused",
        "This Idempotency-Key was already used with a different request.");

    private static IResult InFlight() => ProblemSetup.Problem(409, "idempotency-key-in-flight", "Request in progress",
        "A request with this Idempotency-Key is still being processed; retry later.");

    /// <summary>What to answer for a key found already used, or still in flight.</summary>
    public static IResult Answer(ClaimResult found) => found switch
    {
        ClaimResult.Replay replay => new StoredResponse(replay.Status, replay.Body, replay.ContentType, Replayed: true),
        ClaimResult.KeyReused => KeyReused(),
        _ => InFlight(),
    };

    private static (int Status, object? Value) Unwrap(object? result)
    {
        var r = result;
        while (r is INestedHttpResult nested) r = nested.Result;
        var status = (r as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        return (status, (r as IValueHttpResult)?.Value);
    }

}

public static class IdempotencyExtensions
{
    /// <summary>The POST requires an <c>Idempotency-Key</c> (money-moving endpoints).</summary>
    public static RouteHandlerBuilder RequireIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(new IdempotencyFilter(required: true)).WithMetadata(new IdempotencyMetadata(true));

    /// <summary>
    /// The POST requires an <c>Idempotency-Key</c>, and its handler checks and stores the key inside the
    /// transaction of its effect (no separate claim): see <see cref="IdempotencyStore.CheckInTransactionAsync"/>.
    /// </summary>
    public static RouteHandlerBuilder RequireIdempotencyKeyInHandler(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(new IdempotencyFilter(required: true, inHandler: true)).WithMetadata(new IdempotencyMetadata(true));

    /// <summary>The POST honours an <c>Idempotency-Key</c> when one is sent.</summary>
    public static RouteHandlerBuilder HonourIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(new IdempotencyFilter(required: false)).WithMetadata(new IdempotencyMetadata(false));
}

/// <summary>Marks endpoints that take an Idempotency-Key (for the OpenAPI document).</summary>
public sealed record IdempotencyMetadata(bool Required);

/// <summary>Writes a response exactly as it is stored with an Idempotency-Key; a replay is marked as one.</summary>
public sealed record StoredResponse(int Status, string Body, string ContentType, bool Replayed) : IResult, IStatusCodeHttpResult
{
    /// <summary>The Location header of a 201.</summary>
    public string? Location { get; init; }

    int? IStatusCodeHttpResult.StatusCode => Status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        if (Replayed) httpContext.Response.Headers["Idempotent-Replayed"] = "true";
        if (Location is not null) httpContext.Response.Headers.Location = Location;
        if (Body.Length == 0 || Body == "null") return;
        var bytes = Encoding.UTF8.GetBytes(Body);
        httpContext.Response.ContentType = ContentType + "; charset=utf-8";
        httpContext.Response.ContentLength = bytes.Length;
        await httpContext.Response.Body.WriteAsync(bytes);
    }
}
