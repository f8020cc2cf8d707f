namespace PayTrack.Infrastructure;

/// <summary>Collects field errors for a <c>400</c> validation problem; one instance per request.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Validation Require(string field, string? value, string? message = null)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, message ?? $"{field} is required.");
        return this;
    }

    public Validation MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max) Add(field, $"{field} must be at most {max} characters.");
        return this;
    }

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
}
