using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>What an invite link is for, for its landing page: the group, who invited, for which e-mail, until when.</summary>
public static class GetInvite
{
    public static async Task<Results<Ok<InviteInfoResponse>, ProblemHttpResult>> Handle(string token, PayTrackDb db, CancellationToken ct)
    {
        var info = await FindAsync(db, token, ct);
        return info is null ? ProblemSetup.NotFound("The invite") : TypedResults.Ok(info);
    }

    public static async Task<InviteInfoResponse?> FindAsync(PayTrackDb db, string token, CancellationToken ct)
    {
        var hash = CreateInvite.Hash(token);
        return await (from i in db.GroupInvites.AsNoTracking()
                      join g in db.Groups.AsNoTracking() on i.GroupId equals g.Id
                      join u in db.Users.AsNoTracking() on i.InvitedBy equals u.Id
                      where i.TokenHash == hash && g.DeletedAt == null
                      select new InviteInfoResponse(g.Name, u.DisplayName, i.Email, i.ExpiresAt)).FirstOrDefaultAsync(ct);
    }
}
