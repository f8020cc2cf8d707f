using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Rules;

/// <summary>The body of PUT /rules/order: every one of the caller's rule ids, in the order they should run.</summary>
public sealed record ReorderRulesRequest(List<Guid>? Ids);

/// <summary>Sets the order rules run in; the first rule that sets a category wins, so order matters.</summary>
public static class ReorderRules
{
    public static async Task<Results<Ok<List<RuleResponse>>, ValidationProblem>> Handle(
        ReorderRulesRequest request, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var ids = request.Ids ?? [];
        var rules = await db.Rules.Where(r => r.UserId == userId).ToListAsync(ct);
        var v = new Validation();
        if (ids.Count != ids.Distinct().Count() || ids.Count != rules.Count || rules.Any(r => !ids.Contains(r.Id)))
            v.Add("ids", "List each of your rules exactly once.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        foreach (var rule in rules) rule.Position = ids.IndexOf(rule.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(rules.OrderBy(r => r.Position).Select(r => r.ToResponse()).ToList());
    }
}
