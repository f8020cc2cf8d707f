using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Rules;

/// <summary>Applies one saved rule to the caller's existing expenses (its category replaces theirs, its tags are added).</summary>
public static class ApplyRule
{
    public static async Task<Results<Ok<ApplyRulesResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, PayTrackDb db, Sql sql, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var row = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.UserId == userId, ct);
        if (row is null) return ProblemSetup.NotFound("The rule");
        var dto = row.ToResponse();
        var rule = CompiledRule.TryCompile(dto.Match, dto.Conditions, dto.SetCategoryId, dto.AddTags, []);
        if (rule is null) return TypedResults.Ok(new ApplyRulesResponse(0));
        var walk = await ApplyRules.WalkAsync(db, sql, userId, s => RuleEngine.Evaluate([rule], s), write: true, clock, ct);
        return TypedResults.Ok(new ApplyRulesResponse(walk.Changed, walk.Complete));
    }
}
