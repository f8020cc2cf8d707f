using System.Globalization;
using System.Text.RegularExpressions;

namespace PayTrack.Domain;

/// <summary>One condition of a rule, as the client sent it.</summary>
public sealed record RuleCondition(string? Field, string? Op, string? Value);

/// <summary>What a rule looks at: an expense's payee, description and amount (major units).</summary>
public readonly record struct RuleSubject(string? Payee, string? Description, decimal Amount);

/// <summary>A rule ready to run: conditions compiled once, regexes with a match timeout.</summary>
public sealed class CompiledRule
{
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

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
                        Regex regex;
                        try { regex = new Regex(value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout); }
                        catch (ArgumentException ex) { error = $"value is not a valid regular expression: {ex.Message}"; return null; }
                        return s =>
                        {
                            var t = text(s);
                            if (t is null) return false;
                            // A pattern that runs too long is treated as not matching; it cannot hang the server.
                            try { return regex.IsMatch(t); }
                            catch (RegexMatchTimeoutException) { return false; }
                        };
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
