using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Rules;

/// <summary>What a rule would do to the existing expenses: how many it matches and how many it would change.</summary>
public sealed record TestRuleResponse(int Matched, int WouldChange);

/// <summary>A dry run of one rule (saved or not) over the caller's existing expenses; nothing is written.</summary>
public static class TestRule
{
    public static async Task<Results<Ok<TestRuleResponse>, ValidationProblem>> Handle(
        CreateRuleRequest request, ClaimsPrincipal principal, PayTrackDb db, Sql sql, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var input = await RuleValidation.ValidateAsync(request, userId, db, v, ct, requireName: false);
        if (input is null) return TypedResults.ValidationProblem(v.Errors);
        var (matched, changed, _) = await ApplyRules.WalkAsync(db, sql, userId, s => Domain.RuleEngine.Evaluate([input.Compiled], s), write: false, clock, ct);
        return TypedResults.Ok(new TestRuleResponse(matched, changed));
    }
}
