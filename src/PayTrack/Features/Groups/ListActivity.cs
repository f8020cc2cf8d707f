using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>What happened in a group, newest first, paged: who did what, with the entity before and after.</summary>
public static class ListActivity
{
    public static async Task<Results<Ok<Page<ActivityResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        if (await GroupAccess.FindAsync(db, id, principal.UserId(), ct) is null) return ProblemSetup.NotFound("The group");
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var query = db.GroupActivity.AsNoTracking().Where(a => a.GroupId == id);
        if (after is { } position) query = query.Where(a => a.Id.CompareTo(position) < 0);
        var rows = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, a => a.Id, a => a.ToResponse()));
    }
}
