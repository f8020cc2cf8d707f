using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace PayTrack.Tests.Support;

/// <summary>
/// Keeps /openapi/v1.json honest (ADR 0028): every answer any HTTP test receives from an API operation must
/// be a status that operation declares. <see cref="PayTrackApp"/> records each response at the outermost
/// middleware and checks them when the app is disposed, so the test that received an undeclared status fails
/// and says which operation and status. 500 is never declared (a 5xx is a bug, caught by the tests themselves).
/// </summary>
public static class OpenApiContract
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Operations? _operations;

    /// <summary>One answer the app gave.</summary>
    public sealed record Observation(string Method, string Path, int Status);

    /// <summary>An operation of the document: its method, its path template as a pattern, and the statuses it declares.</summary>
    public sealed record Operation(string Method, string Template, Regex Pattern, HashSet<int> Statuses);

    public sealed class Operations(IReadOnlyList<Operation> all)
    {
        public IReadOnlyList<Operation> All { get; } = all;

        /// <summary>The documented operation for a request, preferring literal segments over parameters.</summary>
        public Operation? Find(string method, string path) => All
            .Where(o => o.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && o.Pattern.IsMatch(path))
            .OrderBy(o => o.Template.Count(c => c == '{'))
            .FirstOrDefault();

        public bool PathIsDocumented(string path) => All.Any(o => o.Pattern.IsMatch(path));
    }

    /// <summary>The statuses the document declares, read once per test run from the first app that needs it.</summary>
    public static async Task<Operations> LoadAsync(HttpClient client)
    {
        if (_operations is not null) return _operations;
        await Gate.WaitAsync();
        try
        {
            if (_operations is not null) return _operations;
            using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
            _operations = Parse(doc.RootElement);
            return _operations;
        }
        finally { Gate.Release(); }
    }

    public static Operations Parse(JsonElement root)
    {
        var operations = new List<Operation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(path.Name).Replace(@"\{", "{", StringComparison.Ordinal), "{[^}]+}", "[^/]+") + "/?$", RegexOptions.IgnoreCase);
            foreach (var op in path.Value.EnumerateObject())
            {
                var statuses = op.Value.GetProperty("responses").EnumerateObject()
                    .Select(r => int.TryParse(r.Name, out var s) ? s : 0).Where(s => s > 0).ToHashSet();
                operations.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, pattern, statuses));
            }
        }
        return new Operations(operations);
    }

    /// <summary>What is wrong with these answers, one line each; empty when the document declares them all.</summary>
    public static List<string> Violations(Operations operations, IEnumerable<Observation> observed)
    {
        var problems = new List<string>();
        foreach (var o in observed.Distinct())
        {
            if (o.Status == 500) continue;
            var op = operations.Find(o.Method, o.Path);
            if (op is null)
            {
                // Unknown routes (404) and wrong methods (405) are the router's answers, not an operation's;
                // anything else under /api is an endpoint the document does not describe.
                if (o.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) && o.Status is not (404 or 405))
                    problems.Add($"{o.Method} {o.Path} answered {o.Status} but is not in /openapi/v1.json");
                continue;
            }
            if (!op.Statuses.Contains(o.Status))
                problems.Add($"{o.Method} {op.Template} answered {o.Status}, which /openapi/v1.json does not declare (it declares {string.Join(", ", op.Statuses.Order())})");
        }
        return problems;
    }
}

/// <summary>Records every response's method, path and final status, outside everything else in the pipeline.</summary>
internal sealed class ResponseRecorder(ConcurrentQueue<OpenApiContract.Observation> observed) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (HttpContext http, RequestDelegate inner) =>
        {
            var method = http.Request.Method;
            var path = http.Request.Path.Value ?? "/";
            try { await inner(http); }
            finally { observed.Enqueue(new OpenApiContract.Observation(method, path, http.Response.StatusCode)); }
        });
        next(app);
    };
}
