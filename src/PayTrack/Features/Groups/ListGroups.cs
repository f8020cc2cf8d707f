using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Accounts;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Groups;

/// <summary>The groups the caller is a member of, by name.</summary>
public static class ListGroups
{
    public static async Task<Ok<ItemsResponse<GroupResponse>>> Handle(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var ids = await (from m in db.GroupMembers.AsNoTracking()
                         join g in db.Groups.AsNoTracking() on m.GroupId equals g.Id
                         where m.UserId == me && m.LeftAt == null && g.DeletedAt == null
                         orderby g.Name, g.Id
                         select g.Id).ToListAsync(ct);
        var items = new List<GroupResponse>(ids.Count);
        foreach (var id in ids)
            if (await GroupMapping.LoadAsync(db, id, me, ct) is { } group) items.Add(group);
        return TypedResults.Ok(new ItemsResponse<GroupResponse>(items));
    }
}
