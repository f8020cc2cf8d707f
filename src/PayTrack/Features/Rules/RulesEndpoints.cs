using PayTrack.Infrastructure.Idempotency;
namespace PayTrack.Features.Rules;

public static class RulesEndpoints
{
    /// <summary>Rules that categorise and tag new and imported expenses.</summary>
    public static IEndpointRouteBuilder MapRules(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/rules").WithTags("Rules").RequireAuthorization();
        group.MapGet("/", ListRules.Handle).WithSummary("The caller's rules, in the order they run.");
        group.MapPost("/", CreateRule.Handle).HonourIdempotencyKey().WithSummary("Create a rule; it applies to expenses created or imported from now on.");
        group.MapDelete("/{id:guid}", DeleteRule.Handle).WithSummary("Delete a rule.");
        group.MapPost("/apply", ApplyRules.Handle).HonourIdempotencyKey().WithSummary("Re-apply every rule to the caller's existing expenses.");
        return app;
    }
}
