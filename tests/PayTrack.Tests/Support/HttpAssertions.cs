using System.Net;
using System.Net.Http.Json;

namespace PayTrack.Tests.Support;

public static class HttpAssertions
{
    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task ShouldHaveStatusAsync(this HttpResponseMessage res, HttpStatusCode expected)
    {
        if (res.StatusCode != expected)
        {
            var body = await res.Content.ReadAsStringAsync();
            throw new ShouldAssertException($"Expected {(int)expected} {expected} but got {(int)res.StatusCode} {res.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem response with the status (and type, when given) and answers it.</summary>
    public static async Task<ProblemDto> ShouldBeProblemAsync(this HttpResponseMessage res, HttpStatusCode status, string? type = null)
    {
        await res.ShouldHaveStatusAsync(status);
        res.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = (await res.Content.ReadFromJsonAsync<ProblemDto>())!;
        problem.Status.ShouldBe((int)status);
        problem.Title.ShouldNotBeNullOrEmpty();
        problem.Detail.ShouldNotBeNullOrEmpty();
        problem.TraceId.ShouldNotBeNullOrEmpty();
        problem.Type.ShouldNotBeNullOrEmpty();
        if (type is not null) problem.Type.ShouldBe(type);
        return problem;
    }
}
