using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Admin;

/// <summary>Every user, oldest first, keyset-paged; for admins.</summary>
public static class ListUsers
{
    public static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> Handle(int? limit, string? cursor, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var query = db.Users.AsNoTracking();
        if (after is { } a) query = query.Where(u => u.Id.CompareTo(a) > 0);
        var rows = await query.OrderBy(u => u.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, u => u.Id, u => u.ToResponse()));
    }
}
