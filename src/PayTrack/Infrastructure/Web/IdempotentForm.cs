using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// Money-moving forms carry a one-time key (a hidden field made when the form is shown), used as the
/// API's Idempotency-Key: a double click or a re-sent POST books nothing twice. The same store and
/// rules as <see cref="IdempotencyFilter"/>.
/// </summary>
public static class IdempotentForm
{
    /// <summary>What happened: the handler's result, or <see cref="AlreadyDone"/> when the key was used before for the same request.</summary>
    public sealed record Outcome(IResult? Result, bool AlreadyDone);

    public static async Task<Outcome> RunAsync(HttpContext http, ClaimsPrincipal user, string? key, string action, object request, Func<Task<IResult>> handler)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 255)
            return new(ProblemSetup.Problem(400, "form-expired", "Form expired", "This form has expired; please fill it in again."), false);
        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value;
        var hash = IdempotencyStore.Hash("POST", "/ui/" + action, [request], json);
        switch (await store.ClaimAsync(user.UserId(), "ui:" + key, hash, http.RequestAborted))
        {
            case ClaimResult.Replay:
                return new(null, true);
            case ClaimResult.KeyReused:
                return new(ProblemSetup.Problem(422, "form-reused", "Form already used", "This form was already sent with other values; please start again."), false);
            case ClaimResult.InFlight:
                return new(ProblemSetup.Problem(409, "in-progress", "Still working", "This is still being processed; wait a moment and look at your wallet."), false);
        }

        IResult result;
        try { result = await handler(); }
        catch
        {
            await store.ReleaseAsync();
            throw;
        }
        if (store.Completed) return new(result, false);
        var inner = result is INestedHttpResult n ? n.Result : result;
        var status = (inner as IStatusCodeHttpResult)?.StatusCode ?? 200;
        if (status == 400 || status >= 500) await store.ReleaseAsync();
        else await store.CompleteAsync(status, (inner as IValueHttpResult)?.Value, http.RequestAborted);
        return new(result, false);
    }
}
