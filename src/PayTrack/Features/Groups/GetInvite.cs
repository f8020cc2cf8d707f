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

    /// <summary>
    /// An invite by id, only for the signed-in user it was sent to (same e-mail), else null. It never gives the
    /// token: joining still needs the e-mailed link, which proves the address is the user's.
    /// </summary>
    public static async Task<ReceivedInviteResponse?> FindReceivedAsync(PayTrackDb db, Guid inviteId, Guid me, CancellationToken ct) =>
        await (from i in db.GroupInvites.AsNoTracking()
               join g in db.Groups.AsNoTracking() on i.GroupId equals g.Id
               join u in db.Users.AsNoTracking() on i.InvitedBy equals u.Id
               join r in db.Users.AsNoTracking() on i.NormalizedEmail equals r.NormalizedEmail
               where i.Id == inviteId && r.Id == me && g.DeletedAt == null
               select new ReceivedInviteResponse(i.Id, g.Name, u.DisplayName, i.Email, i.Role, i.ExpiresAt, i.AcceptedAt)).FirstOrDefaultAsync(ct);
}
