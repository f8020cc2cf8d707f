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
        group.MapPost("/apply", ApplyRules.Handle).HonourIdempotencyKeyInHandler().WithSummary("Re-apply every rule to the caller's existing expenses.");
        group.MapPut("/{id:guid}", UpdateRule.Handle).WithSummary("Replace a rule's name, conditions and actions; its place in the order stays.");
        group.MapPut("/order", ReorderRules.Handle).WithSummary("Set the order rules run in: every rule id, once each.");
        group.MapPost("/test", TestRule.Handle).WithSummary("Dry run: how many existing expenses a rule (saved or not) matches and would change.");
        group.MapPost("/{id:guid}/apply", ApplyRule.Handle).HonourIdempotencyKeyInHandler().WithSummary("Apply one rule to the caller's existing expenses.");
        return app;
    }
}
