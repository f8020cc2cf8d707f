using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// Money-moving forms carry a one-time key (a hidden field made when the form is shown), used as an
/// Idempotency-Key through the same <see cref="IdempotencyGate"/> as the API: a double click or a
/// re-sent POST books nothing twice, and the answer is stored in the transaction of the effect.
/// </summary>
public static class IdempotentForm
{
    /// <summary>What happened: the handler's result, or <see cref="AlreadyDone"/> when the key was used before for the same request.</summary>
    public sealed record Outcome(IResult? Result, bool AlreadyDone);

    /// <summary>
    /// Runs <paramref name="handler"/> once for the form's <paramref name="key"/>; <paramref name="action"/> and
    /// <paramref name="request"/> make the fingerprint. With <paramref name="handlerOwnsTransaction"/> the use case
    /// checks and stores the key inside its own transactions (as its API endpoint does).
    /// </summary>
    public static async Task<Outcome> RunAsync(HttpContext http, ClaimsPrincipal user, string? key, string action, object request, Func<Task<IResult>> handler,
        bool handlerOwnsTransaction = false)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
            return new(ProblemSetup.Problem(400, "form-expired", "Form expired", "This form has expired; please fill it in again."), false);
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value;
        var requestKey = new RequestKey(user.UserId(), "ui:" + key, IdempotencyStore.Hash("POST", "/ui/" + action, [request], json));
        var result = await IdempotencyGate.RunAsync(http, requestKey, handlerOwnsTransaction, async () => await handler());
        return result switch
        {
            StoredResponse { Replayed: true } => new(null, true),
            ProblemHttpResult { ProblemDetails.Type: "/problems/idempotency-key-reused" } =>
                new(ProblemSetup.Problem(422, "form-reused", "Form already used", "This form was already sent with other values; please start again."), false),
            ProblemHttpResult { ProblemDetails.Type: "/problems/idempotency-key-in-flight" } =>
                new(ProblemSetup.Problem(409, "in-progress", "Still working", "This is still being processed; wait a moment and look at your wallet."), false),
            _ => new((IResult)result!, false),
        };
    }
}
