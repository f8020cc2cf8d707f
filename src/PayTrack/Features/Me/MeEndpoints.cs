using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Me;

public sealed record UpdateMeRequest(string? DisplayName, string? DefaultCurrency);

public static class MeEndpoints
{
    /// <summary>The signed-in user's own profile.</summary>
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/me").WithTags("Me").RequireAuthorization();
        group.MapGet("/", GetMe).WithSummary("The signed-in user.");
        group.MapPatch("/", UpdateMe.Handle).WithSummary("Change display name or default currency.");
        group.MapPost("/password", ChangePassword.Handle).RequireRateLimiting(AuthSetup.SignInLimit)
            .WithSummary("Change the password (the current one is checked); the user's other sessions end.");
        group.MapGet("/events", StreamMyEvents.Handle).Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithSummary("Server-Sent Events: notification whenever one of your notifications is created.")
            .WithDescription("Each event's data is the notification (as GET /notifications lists it); a comment line at least every 15 s keeps the stream open.");
        // The web layout's stream (the bell): the same use case, signed in with the session cookie (UI paths, ADR 0021).
        app.MapGet("/me/events", StreamMyEvents.Handle).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetMe(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var id = principal.UserId();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? ProblemSetup.NotFound("The user") : TypedResults.Ok(user.ToResponse());
    }

}
