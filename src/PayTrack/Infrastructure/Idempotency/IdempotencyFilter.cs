using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Infrastructure.Idempotency;

/// <summary>
/// Honours the <c>Idempotency-Key</c> header on a POST through <see cref="IdempotencyGate"/>: replays a
/// finished request's answer, refuses a key reused with another request (422) or still in flight (409),
/// and otherwise runs the handler once, its answer stored with the key in the transaction of its effect.
/// </summary>
public sealed class IdempotencyFilter(bool required, bool handlerOwnsTransaction = false, bool handlerChecksKey = false) : IEndpointFilter
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

        var hash = await RequestFingerprint.OfAsync(http.Request, http.RequestAborted);
        var requestKey = new RequestKey(http.User.UserId(), key, hash);
        return await IdempotencyGate.RunAsync(http, requestKey, handlerOwnsTransaction, async () => await next(context), handlerChecksKey);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult KeyReused() => ProblemSetup.Problem(422, "idempotency-key-reused", "Idempotency-Key reused",
        "This Idempotency-Key was already used with a different request.");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult InFlight() => ProblemSetup.Problem(409, "idempotency-key-in-flight", "Request in progress",
        "A request with this Idempotency-Key is still being processed; retry later.");

    /// <summary>
    /// A key found used by a handler's own check inside its transaction (a duplicate that raced past the
    /// gate's first look, from another instance): 422 when the request differs, else 409 — retrying then
    /// gets the stored answer.
    /// </summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refusal(KeyUsed found) =>
        found is KeyUsed.KeyReused ? KeyReused() : InFlight();

    /// <summary>What to answer for a key found already used, or still in flight.</summary>
    public static IResult Answer(KeyUsed found) => found switch
    {
        KeyUsed.Replay replay => new StoredResponse(replay.Status, replay.Body, replay.ContentType, Replayed: true),
        KeyUsed.KeyReused => KeyReused(),
        _ => InFlight(),
    };
}

public static class IdempotencyExtensions
{
    /// <summary>The POST requires an <c>Idempotency-Key</c> (money-moving endpoints).</summary>
    public static RouteHandlerBuilder RequireIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(new IdempotencyFilter(required: true)).WithMetadata(new IdempotencyMetadata(true));

    /// <summary>
    /// The POST requires an <c>Idempotency-Key</c>, and its handler owns its transactions: it checks the key
    /// and stores its answer inside the transaction of its effect itself (<see cref="IdempotencyStore.Key"/>,
    /// <see cref="IdempotencyStore.CheckInTransactionAsync"/>, <see cref="IdempotencyStore.AddDone"/>).
    /// </summary>
    public static RouteHandlerBuilder RequireIdempotencyKeyInHandler(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(new IdempotencyFilter(required: true, handlerOwnsTransaction: true)).WithMetadata(new IdempotencyMetadata(true));

    /// <summary>
    /// Like <see cref="RequireIdempotencyKeyInHandler"/>, for a handler that also answers a key already used
    /// (replay, reuse, in flight) from inside its transaction, so the gate does not look first (single transfers).
    /// </summary>
    public static RouteHandlerBuilder RequireIdempotencyKeyCheckedInHandler(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(new IdempotencyFilter(required: true, handlerOwnsTransaction: true, handlerChecksKey: true)).WithMetadata(new IdempotencyMetadata(true));

    /// <summary>Like <see cref="HonourIdempotencyKey"/>, for a handler that owns its transactions (see <see cref="RequireIdempotencyKeyInHandler"/>).</summary>
    public static RouteHandlerBuilder HonourIdempotencyKeyInHandler(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(new IdempotencyFilter(required: false, handlerOwnsTransaction: true)).WithMetadata(new IdempotencyMetadata(false));

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
