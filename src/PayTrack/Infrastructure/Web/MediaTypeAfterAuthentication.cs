namespace PayTrack.Infrastructure.Web;

/// <summary>
/// Authentication before media type: routing no longer answers 415 by itself. ASP.NET Core's routing
/// normally turns an endpoint's accepted content types (every JSON body, every <c>.Accepts(...)</c>) into
/// a 415 endpoint chosen before the authorization middleware runs, so an anonymous request with the
/// wrong Content-Type learnt "415" instead of "401". Without that routing policy the endpoint is
/// selected by path and method only, authorization answers 401/403 first, and the 415 comes afterwards
/// from the endpoint itself: the JSON binder refuses a non-JSON body (a problem via
/// <see cref="Problems.ProblemSetup"/>) and the upload use cases check for multipart/form-data.
/// ADR 0028.
/// </summary>
public static class MediaTypeAfterAuthentication
{
    /// <summary>Call after every other registration: AddRouting (run again by MVC and Razor Pages) would add the policy back.</summary>
    public static IServiceCollection CheckMediaTypeAfterAuthentication(this IServiceCollection services)
    {
        // The policy is internal to ASP.NET Core, so it is found by name; the HTTP tests
        // (anonymous + wrong type → 401) fail if a framework update renames it.
        var policies = services.Where(d => d.ServiceType == typeof(MatcherPolicy) && d.ImplementationType?.Name == "AcceptsMatcherPolicy").ToList();
        if (policies.Count == 0)
            throw new InvalidOperationException("ASP.NET Core's AcceptsMatcherPolicy was not registered; check MediaTypeAfterAuthentication after a framework update.");
        foreach (var policy in policies) services.Remove(policy);
        return services;
    }
}
