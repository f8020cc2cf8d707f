using System.Globalization;
using System.Text.RegularExpressions;

namespace PayTrack.Domain;

/// <summary>One condition of a rule, as the client sent it.</summary>
public sealed record RuleCondition(string? Field, string? Op, string? Value);

/// <summary>What a rule looks at: an expense's payee, description and amount (major units).</summary>
public readonly record struct RuleSubject(string? Payee, string? Description, decimal Amount);

/// <summary>
/// A rule ready to run. Regex conditions use .NET's non-backtracking engine, whose matching time grows
/// linearly with the text: a pattern such as <c>(a+)+$</c> cannot run away. Patterns that engine cannot run
/// (backreferences, lookarounds, atomic groups) are refused when the rule is saved. No match timeout: the
/// engine cannot run away, and a wall-clock timeout would turn a busy machine's slow match into a silent
/// "no match" (texts are at most 1,000 characters, patterns 500).
/// </summary>
public sealed class CompiledRule
{    private const RegexOptions PatternOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    // Compiled patterns are shared (a Regex is thread-safe): creating an expense does not rebuild its owner's regexes.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    private readonly List<Func<RuleSubject, bool>> _conditions;

    private CompiledRule(bool matchAll, List<Func<RuleSubject, bool>> conditions, Guid? setCategoryId, IReadOnlyList<string> addTags)
    {
        MatchAll = matchAll;
        _conditions = conditions;
        SetCategoryId = setCategoryId;
        AddTags = addTags;
    }

    public bool MatchAll { get; }
    public Guid? SetCategoryId { get; }
    public IReadOnlyList<string> AddTags { get; }

    public bool Matches(RuleSubject subject) =>
        MatchAll ? _conditions.All(c => c(subject)) : _conditions.Any(c => c(subject));

    /// <summary>Compiles a rule; each problem goes to <paramref name="errors"/> as (field, message).</summary>
    public static CompiledRule? TryCompile(string? match, IReadOnlyList<RuleCondition>? conditions, Guid? setCategoryId, IReadOnlyList<string> addTags, List<(string Field, string Message)> errors)
    {
        if (match is not ("all" or "any")) errors.Add(("match", "match must be 'all' or 'any'."));
        if (conditions is null || conditions.Count == 0) errors.Add(("conditions", "conditions must hold at least one condition."));
        else if (conditions.Count > 20) errors.Add(("conditions", "A rule has at most 20 conditions."));
        var compiled = new List<Func<RuleSubject, bool>>();
        for (var i = 0; i < (conditions?.Count ?? 0); i++)
        {
            var c = conditions![i];
            var field = $"conditions[{i}]";
            var f = Compile(c, out var error);
            if (f is null) errors.Add((field, error));
            else compiled.Add(f);
        }
        return errors.Count == 0 ? new CompiledRule(match == "all", compiled, setCategoryId, addTags) : null;
    }

    private static bool TryPattern(string pattern, out Regex regex, out string error)
    {
        error = "";
        if (Patterns.TryGetValue(pattern, out regex!)) return true;
        try { regex = new Regex(pattern, PatternOptions); }
        catch (NotSupportedException)
        {
            error = "value uses a regular-expression feature that rules do not support (backreferences, lookahead or lookbehind, atomic groups); rules only take patterns that match in linear time.";
            return false;
        }
        catch (ArgumentException ex) { error = $"value is not a valid regular expression: {ex.Message}"; return false; }
        if (Patterns.Count > 10_000) Patterns.Clear();
        Patterns.TryAdd(pattern, regex);
        return true;
    }

    private static Func<RuleSubject, bool>? Compile(RuleCondition c, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(c.Value)) { error = "value is required."; return null; }
        if (c.Value.Length > 500) { error = "value must be at most 500 characters."; return null; }
        switch (c.Field)
        {
            case "payee" or "description":
                Func<RuleSubject, string?> text = c.Field == "payee" ? s => s.Payee : s => s.Description;
                var value = c.Value;
                switch (c.Op)
                {
                    case "contains": return s => text(s)?.Contains(value, StringComparison.OrdinalIgnoreCase) == true;
                    case "equals": return s => string.Equals(text(s)?.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase);
                    case "regex":
                        if (!TryPattern(value, out var regex, out error)) return null;
                        return s => text(s) is { } t && regex.IsMatch(t);
                    default: error = "op must be contains, equals or regex for payee and description."; return null;
                }
            case "amount":
                if (!decimal.TryParse(c.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
                {
                    error = "value must be a decimal amount such as 12.34.";
                    return null;
                }
                switch (c.Op)
                {
                    case "gt": return s => s.Amount > amount;
                    case "lt": return s => s.Amount < amount;
                    case "equals": return s => s.Amount == amount;
                    default: error = "op must be gt, lt or equals for amount."; return null;
                }
            default:
                error = "field must be payee, description or amount.";
                return null;
        }
    }
}

/// <summary>Runs a user's rules in their order: the first matching rule that sets a category wins; tags accumulate.</summary>
public static class RuleEngine
{
    public static (Guid? CategoryId, List<string> Tags) Evaluate(IEnumerable<CompiledRule> rules, RuleSubject subject)
    {
        Guid? category = null;
        var tags = new List<string>();
        foreach (var rule in rules)
        {
            if (!rule.Matches(subject)) continue;
            category ??= rule.SetCategoryId;
            foreach (var t in rule.AddTags) if (!tags.Contains(t)) tags.Add(t);
        }
        return (category, tags);
    }
}
