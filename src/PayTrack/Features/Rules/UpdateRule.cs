using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Rules;

/// <summary>Replaces a rule's name, conditions and actions (its place in the order stays); existing expenses are not touched.</summary>
public static class UpdateRule
{
    public static async Task<Results<Ok<RuleResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, CreateRuleRequest request, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var rule = await db.Rules.FirstOrDefaultAsync(r => r.Id == id && r.UserId == userId, ct);
        if (rule is null) return ProblemSetup.NotFound("The rule");
        var v = new Validation();
        var input = await RuleValidation.ValidateAsync(request, userId, db, v, ct);
        if (input is null) return TypedResults.ValidationProblem(v.Errors);

        rule.Name = input.Name;
        rule.Match = input.Match;
        rule.Conditions = RuleStorage.Serialize(input.Conditions);
        rule.SetCategoryId = input.SetCategoryId;
        rule.AddTags = RuleStorage.Serialize(input.AddTags);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(rule.ToResponse());
    }
}
