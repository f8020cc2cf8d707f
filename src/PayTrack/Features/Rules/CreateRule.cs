using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Rules;

public sealed record CreateRuleRequest(string? Name, string? Match, List<RuleCondition>? Conditions, Guid? SetCategoryId, List<string?>? AddTags);

/// <summary>Adds a rule after the caller's existing ones (it runs last).</summary>
public static class CreateRule
{
    public static async Task<Results<Created<RuleResponse>, ValidationProblem>> Handle(
        CreateRuleRequest request, ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var input = await RuleValidation.ValidateAsync(request, userId, db, v, ct);
        if (input is null) return TypedResults.ValidationProblem(v.Errors);

        var last = await db.Rules.Where(r => r.UserId == userId).MaxAsync(r => (int?)r.Position, ct) ?? -1;
        var rule = new Rule
        {
            Id = Guid.CreateVersion7(), UserId = userId, Name = input.Name, Match = input.Match,
            Conditions = RuleStorage.Serialize(input.Conditions), SetCategoryId = input.SetCategoryId, AddTags = RuleStorage.Serialize(input.AddTags),
            Position = last + 1, CreatedAt = clock.UtcNowStored(),
        };
        db.Rules.Add(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/rules/{rule.Id}", rule.ToResponse());
    }
}
