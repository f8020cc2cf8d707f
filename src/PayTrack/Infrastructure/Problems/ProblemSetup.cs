using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PayTrack.Domain;

namespace PayTrack.Infrastructure.Problems;

/// <summary>Everything that turns refusals and failures into RFC 9457 problem details.</summary>
public static class ProblemSetup
{
    public static IServiceCollection AddPayTrackProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = TraceId(ctx.HttpContext);
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            if (ctx.ProblemDetails.Detail is null && ctx.ProblemDetails.Status is int status)
                ctx.ProblemDetails.Detail = DefaultDetail(status, ctx.HttpContext);
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Malformed JSON, a wrong Content-Type or a bad route value throw instead of a silent 400,
        // so the handler below can say what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static string TraceId(HttpContext http) => Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;

    private static string? DefaultDetail(int status, HttpContext http) => status switch
    {
        400 => "The request is not valid.",
        401 => "A valid bearer access token is required.",
        403 => "You are not allowed to do this.",
        404 => $"Nothing is found at {http.Request.Method} {http.Request.Path}.",
        405 => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
        413 => "The request body is larger than this endpoint accepts.",
        415 => "The request's Content-Type is not supported here; send application/json.",
        _ => null,
    };

    /// <summary>A business-rule refusal as a typed result: type <c>/problems/{slug}</c>.</summary>
    public static ProblemHttpResult Problem(int status, string slug, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: $"/problems/{slug}", extensions: extensions);

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(detail: $"{what} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>The one place that maps exceptions to problem details.</summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException d => Domain(d),
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode,
                Title = b.StatusCode switch { 413 => "Payload too large", 415 => "Unsupported media type", _ => "Bad request" },
                Detail = Describe(b),
            },
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (http.RequestAborted.IsCancellationRequested && exception is OperationCanceledException) return true;
            logger.LogError(exception, "Unhandled exception on {Method} {Path} (trace {TraceId})", http.Request.Method, http.Request.Path, ProblemSetup.TraceId(http));
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal server error",
                Detail = "Something went wrong on our side. It has been logged; quote the traceId when reporting it.",
            };
        }

        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Domain(DomainException d)
    {
        var p = new ProblemDetails { Status = d.Status, Type = $"/problems/{d.Slug}", Title = Title(d.Slug), Detail = d.Message };
        foreach (var (k, v) in d.Extensions) p.Extensions[k] = v;
        return p;
    }

    private static string Title(string slug) => string.Join(' ', slug.Split('-')) is var s && s.Length > 0
        ? char.ToUpperInvariant(s[0]) + s[1..]
        : slug;

    private static string Describe(BadHttpRequestException b)
    {
        // The framework's message names the parameter; the inner JSON error says where the body broke.
        if (b.InnerException is System.Text.Json.JsonException json)
            return $"The request body is not valid JSON or does not match the expected shape: {json.Message}";
        return b.Message;
    }
}
