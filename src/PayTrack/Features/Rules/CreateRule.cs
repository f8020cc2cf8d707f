using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Rules;

public sealed record CreateRuleRequest(string? Name, string? Match, List<RuleCondition>? Conditions, Guid? SetCategoryId, List<string?>? AddTags);

public static class CreateRule
{
    public static async Task<Results<Created<RuleResponse>, ValidationProblem>> Handle(
        CreateRuleRequest request, ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        v.Require("name", request.Name, "name is required.").MaxLength("name", request.Name?.Trim(), 100);
        if (!Tags.TryNormalize(request.AddTags, out var tags, out var tagError)) v.Add("addTags", tagError);
        var errors = new List<(string Field, string Message)>();
        CompiledRule.TryCompile(request.Match, request.Conditions, request.SetCategoryId, tags, errors);
        foreach (var (field, message) in errors) v.Add(field, message);
        if (request.SetCategoryId is null && tags.Count == 0) v.Add("setCategoryId", "A rule must set a category or add tags.");
        if (request.SetCategoryId is { } cat && !await db.Categories.AnyAsync(c => c.Id == cat && c.UserId == userId, ct))
            v.Add("setCategoryId", "setCategoryId is not one of your categories.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var rule = new Rule
        {
            Id = Guid.CreateVersion7(), UserId = userId, Name = request.Name!.Trim(), Match = request.Match!,
            Conditions = RuleStorage.Serialize(request.Conditions!.Select(c => new RuleCondition(c.Field, c.Op, c.Value)).ToList()),
            SetCategoryId = request.SetCategoryId, AddTags = RuleStorage.Serialize(tags),
            CreatedAt = clock.UtcNowStored(),
        };
        db.Rules.Add(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/rules/{rule.Id}", rule.ToResponse());
    }
}
