using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>A group's settlements, newest first, paged.</summary>
public static class ListSettlements
{
    public static async Task<Results<Ok<Page<SettlementResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        if (await GroupAccess.FindAsync(db, id, principal.UserId(), ct) is null) return ProblemSetup.NotFound("The group");
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var query = db.GroupSettlements.AsNoTracking().Where(s => s.GroupId == id);
        if (after is { } a) query = query.Where(s => s.Id.CompareTo(a) < 0);
        var rows = await query.OrderByDescending(s => s.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, s => s.Id, s => s.ToResponse()));
    }
}
