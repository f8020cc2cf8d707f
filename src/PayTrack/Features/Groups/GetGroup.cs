using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>One group, for its members only.</summary>
public static class GetGroup
{
    public static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct) =>
        await GroupMapping.LoadAsync(db, id, principal.UserId(), ct) is { } group ? TypedResults.Ok(group) : ProblemSetup.NotFound("The group");
}
