using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;

namespace PayTrack.Features.Rules;

public sealed record RuleResponse(Guid Id, string Name, string Match, List<RuleCondition> Conditions, Guid? SetCategoryId, List<string> AddTags, DateTime CreatedAt, int Position = 0);

public static class RuleStorage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static RuleResponse ToResponse(this Rule r) => new(r.Id, r.Name, r.Match,
        JsonSerializer.Deserialize<List<RuleCondition>>(r.Conditions, Json) ?? [], r.SetCategoryId,
        JsonSerializer.Deserialize<List<string>>(r.AddTags, Json) ?? [], r.CreatedAt, r.Position);

    /// <summary>The caller's rules compiled, in their order (position, then oldest first): what new and imported expenses go through.</summary>
    public static async Task<List<CompiledRule>> LoadAsync(PayTrackDb db, Guid userId, CancellationToken ct)
    {
        var rows = await db.Rules.AsNoTracking().Where(r => r.UserId == userId).OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        var result = new List<CompiledRule>(rows.Count);
        foreach (var row in rows)
        {
            var dto = row.ToResponse();
            var errors = new List<(string, string)>();
            // Stored rules were valid when saved; one that no longer compiles is skipped rather than failing every expense.
            if (CompiledRule.TryCompile(dto.Match, dto.Conditions, dto.SetCategoryId, dto.AddTags, errors) is { } rule) result.Add(rule);
        }
        return result;
    }
}
