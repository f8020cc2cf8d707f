using System.Diagnostics;
using PayTrack.Domain;

namespace PayTrack.Tests.Domain;

public sealed class RuleEngineTests
{
    private static CompiledRule Rule(string match, Guid? category, string[] tags, params RuleCondition[] conditions)
    {
        var errors = new List<(string, string)>();
        var rule = CompiledRule.TryCompile(match, conditions, category, tags, errors);
        errors.ShouldBeEmpty();
        return rule!;
    }

    [Fact]
    public void All_NeedsEveryCondition_Any_NeedsOne()
    {
        var conditions = new[] { new RuleCondition("payee", "contains", "shell"), new RuleCondition("amount", "gt", "50") };
        var all = Rule("all", null, ["fuel"], conditions);
        var any = Rule("any", null, ["fuel"], conditions);
        all.Matches(new RuleSubject("SHELL Station", null, 60m)).ShouldBeTrue();
        all.Matches(new RuleSubject("SHELL Station", null, 40m)).ShouldBeFalse();
        any.Matches(new RuleSubject("BP", null, 60m)).ShouldBeTrue();
        any.Matches(new RuleSubject("BP", null, 40m)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("payee", "equals", "netflix", "  NETFLIX ", true)]
    [InlineData("payee", "equals", "netflix", "Netflix.com", false)]
    [InlineData("description", "contains", "Rent", "monthly rent march", true)]
    [InlineData("description", "regex", "^rent\\s+\\w+$", "RENT march", true)]
    [InlineData("description", "regex", "^rent$", "rent march", false)]
    public void TextConditions_IgnoreCase(string field, string op, string value, string text, bool expected)
    {
        var rule = Rule("all", null, ["x"], new RuleCondition(field, op, value));
        rule.Matches(new RuleSubject(text, text, 1m)).ShouldBe(expected);
    }

    [Fact]
    public void AmountConditions_CompareMajorUnits()
    {
        var lt = Rule("all", null, ["small"], new RuleCondition("amount", "lt", "10.00"));
        lt.Matches(new RuleSubject(null, null, 9.99m)).ShouldBeTrue();
        lt.Matches(new RuleSubject(null, null, 10m)).ShouldBeFalse();
    }

    [Fact]
    public void CatastrophicRegex_TimesOut_AsNoMatch_WithinABoundedTime()
    {
        var rule = Rule("all", null, ["x"], new RuleCondition("payee", "regex", "^(a+)+$"));
        var sw = Stopwatch.StartNew();
        rule.Matches(new RuleSubject(new string('a', 40) + "!", null, 1m)).ShouldBeFalse();
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void InvalidRules_AreRefusedWithTheirField()
    {
        var errors = new List<(string Field, string Message)>();
        CompiledRule.TryCompile("some", [new RuleCondition("payee", "regex", "(unclosed"), new RuleCondition("amount", "contains", "1"), new RuleCondition("iban", "equals", "x")], null, [], errors)
            .ShouldBeNull();
        errors.Select(e => e.Field).ShouldBe(["match", "conditions[0]", "conditions[1]", "conditions[2]"]);
    }

    [Fact]
    public void Evaluate_FirstCategoryWins_TagsAccumulate()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var rules = new[]
        {
            Rule("all", a, ["one"], new RuleCondition("payee", "contains", "x")),
            Rule("all", b, ["two", "one"], new RuleCondition("payee", "contains", "x")),
            Rule("all", null, ["never"], new RuleCondition("payee", "contains", "zzz")),
        };
        var (category, tags) = RuleEngine.Evaluate(rules, new RuleSubject("x", null, 1m));
        category.ShouldBe(a);
        tags.ShouldBe(["one", "two"]);
    }
}
