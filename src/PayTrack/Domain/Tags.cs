namespace PayTrack.Domain;

/// <summary>Tags are short, trimmed, lower-case labels; an expense carries each at most once.</summary>
public static class Tags
{
    public const int MaxLength = 40;
    public const int MaxPerExpense = 20;

    public static string Normalize(string tag) => tag.Trim().ToLowerInvariant();

    /// <summary>Normalises and de-duplicates; answers an error message for the first bad tag. The count is checked before any work.</summary>
    public static bool TryNormalize(IReadOnlyCollection<string?>? tags, out List<string> result, out string error)
    {
        result = [];
        error = "";
        if (tags is null) return true;
        if (tags.Count > MaxPerExpense) { error = $"An expense has at most {MaxPerExpense} tags."; return false; }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in tags)
        {
            if (string.IsNullOrWhiteSpace(raw)) { error = "tags must not be empty."; return false; }
            var tag = Normalize(raw);
            if (tag.Length > MaxLength) { error = $"tags must be at most {MaxLength} characters."; return false; }
            if (seen.Add(tag)) result.Add(tag);
        }
        return true;
    }
}
