using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Rules;

/// <summary>A rule's fields after validation, compiled.</summary>
public sealed record RuleInput(string Name, string Match, List<RuleCondition> Conditions, Guid? SetCategoryId, List<string> AddTags, CompiledRule Compiled);

/// <summary>The checks shared by creating, replacing and testing a rule.</summary>
public static class RuleValidation
{
    public static async Task<RuleInput?> ValidateAsync(CreateRuleRequest request, Guid userId, PayTrackDb db, Validation v, CancellationToken ct, bool requireName = true)
    {
        if (requireName) v.Require("name", request.Name, "name is required.");
        v.MaxLength("name", request.Name?.Trim(), 100);
        if (!Tags.TryNormalize(request.AddTags, out var tags, out var tagError)) v.Add("addTags", tagError);
        var errors = new List<(string Field, string Message)>();
        var compiled = CompiledRule.TryCompile(request.Match, request.Conditions, request.SetCategoryId, tags, errors);
        foreach (var (field, message) in errors) v.Add(field, message);
        if (request.SetCategoryId is null && tags.Count == 0) v.Add("setCategoryId", "A rule must set a category or add tags.");
        if (request.SetCategoryId is { } cat && !await db.Categories.AnyAsync(c => c.Id == cat && c.UserId == userId, ct))
            v.Add("setCategoryId", "setCategoryId is not one of your categories.");
        if (!v.IsValid || compiled is null) return null;
        return new RuleInput(request.Name?.Trim() ?? "", request.Match!,
            request.Conditions!.Select(c => new RuleCondition(c.Field, c.Op, c.Value)).ToList(), request.SetCategoryId, tags, compiled);
    }
}
