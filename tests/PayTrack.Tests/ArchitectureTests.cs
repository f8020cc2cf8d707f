using System.Reflection;
using NetArchTest.Rules;

namespace PayTrack.Tests;

/// <summary>
/// The boundaries of the one web project, as tests (NetArchTest reads the compiled IL, so a
/// dependency inside a lambda or an async method counts too):
/// Domain depends on nothing else; Data and Infrastructure never reach into Features; page models
/// never call endpoint classes.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly App = typeof(Program).Assembly;

    /// <summary>
    /// Page models allowed to call <c>*Endpoints</c> methods: none. Every page calls the use case the
    /// endpoint maps; an entry here would have to be justified, and one that no longer violates fails.
    /// </summary>
    private static readonly HashSet<string> PagesCallingEndpoints_KnownViolations = [];

    [Fact]
    public void Domain_DependsOnNothingElse()
    {
        var result = Types.InAssembly(App).That().ResideInNamespace("PayTrack.Domain")
            .ShouldNot().HaveDependencyOnAny(
                "PayTrack.Data", "PayTrack.Infrastructure", "PayTrack.Features",
                "Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite", "Npgsql",
                "Microsoft.AspNetCore", "Microsoft.Extensions.DependencyInjection", "System.Net.Http")
            .GetResult();
        Violations(result).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("PayTrack.Data")]
    [InlineData("PayTrack.Infrastructure")]
    public void DataAndInfrastructure_NeverDependOnFeatures(string layer)
    {
        var result = Types.InAssembly(App).That().ResideInNamespace(layer)
            .ShouldNot().HaveDependencyOn("PayTrack.Features")
            .GetResult();
        Violations(result).ShouldBeEmpty();
    }

    [Fact]
    public void PageModels_NeverDependOnEndpointClasses()
    {
        var endpoints = App.GetTypes().Where(t => t.Name.EndsWith("Endpoints", StringComparison.Ordinal) && t.DeclaringType is null)
            .Select(t => t.FullName!).ToArray();
        endpoints.ShouldNotBeEmpty();
        var result = Types.InAssembly(App).That().ResideInNamespaceEndingWith(".Pages")
            .ShouldNot().HaveDependencyOnAny(endpoints)
            .GetResult();
        var violations = Violations(result);
        violations.Except(PagesCallingEndpoints_KnownViolations).ShouldBeEmpty("new page models calling *Endpoints: call the use case instead");
        PagesCallingEndpoints_KnownViolations.Except(violations).ShouldBeEmpty("fixed: remove these from the known violations");
    }

    [Fact]
    public void TheRules_SeeViolations()
    {
        // Guards the tests above against matching nothing: a type that does depend on EF Core is found.
        var result = Types.InAssembly(App).That().ResideInNamespace("PayTrack.Data")
            .ShouldNot().HaveDependencyOn("Microsoft.EntityFrameworkCore").GetResult();
        Violations(result).ShouldContain("PayTrack.Data.PayTrackDb");
        Types.InAssembly(App).That().ResideInNamespaceEndingWith(".Pages").GetTypes().ShouldNotBeEmpty();
    }

    /// <summary>The failing types, compiler-made nested types (lambdas, async methods) reported as the type that declares them.</summary>
    private static HashSet<string> Violations(TestResult result) =>
        (result.FailingTypeNames ?? []).Select(n => n.Split('/', '+')[0]).ToHashSet();
}
