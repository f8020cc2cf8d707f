using System.Text.RegularExpressions;
using PayTrack.Data;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Categories;

public sealed record CategoryResponse(Guid Id, string Name, Guid? ParentId, string? Color, DateTime CreatedAt, DateTime UpdatedAt);

public static partial class CategoryMapping
{
    public static CategoryResponse ToResponse(this Category c) => new(c.Id, c.Name, c.ParentId, c.Color, c.CreatedAt, c.UpdatedAt);

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex ColorPattern();

    /// <summary>Shape rules shared by create and update.</summary>
    internal static void ValidateShape(Validation v, string? name, string? color)
    {
        v.Require("name", name, "name is required.").MaxLength("name", name?.Trim(), 60);
        if (color is not null && !ColorPattern().IsMatch(color)) v.Add("color", "color must look like #1A2B3C.");
    }
}
