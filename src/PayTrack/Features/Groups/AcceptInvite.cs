using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>
/// The invited person, signed in with the invite's e-mail, joins the group (or rejoins it, after leaving) with
/// the invite's role. An invite is used once and expires after 7 days: then 410.
/// </summary>
public static class AcceptInvite
{
    public static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> Handle(
        string token, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var hash = CreateInvite.Hash(token);
        var invite = await (from i in db.GroupInvites.AsNoTracking()
                            join g in db.Groups.AsNoTracking() on i.GroupId equals g.Id
                            where i.TokenHash == hash && g.DeletedAt == null
                            select i).FirstOrDefaultAsync(ct);
        if (invite is null) return ProblemSetup.NotFound("The invite");
        var email = await db.Users.Where(u => u.Id == me).Select(u => u.NormalizedEmail).FirstAsync(ct);
        if (email != invite.NormalizedEmail)
            return ProblemSetup.Problem(403, "invite-for-someone-else", "Invite for someone else", "This invite was sent to another e-mail address.");
        var now = clock.UtcNowStored();
        if (invite.ExpiresAt <= now) return Gone("This invite has expired; ask for a new one.");

        var used = await Sql.InTransactionAsync(db, async c =>
        {
            // One use: the conditional update lets exactly one acceptance through.
            var taken = await db.GroupInvites.Where(i => i.Id == invite.Id && i.AcceptedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedBy, me), c);
            if (taken != 1) return true;
            var member = await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == invite.GroupId && m.UserId == me, c);
            var joins = member is null || member.LeftAt is not null; // an invite to a current member is used up and changes nothing else
            if (member is null)
                db.GroupMembers.Add(new GroupMember { GroupId = invite.GroupId, UserId = me, Role = invite.Role, JoinedAt = now });
            else if (member.LeftAt is not null)
            {
                member.LeftAt = null;
                member.Role = invite.Role;
                member.JoinedAt = now;
            }
            if (joins)
                GroupChanges.Record(db, events, clock, invite.GroupId, me, "member.joined", "member", me, "joined the group", after: new { userId = me, role = invite.Role });
            await db.SaveChangesAsync(c);
            return false;
        }, ct);
        if (used) return Gone("This invite was already used.");
        return TypedResults.Ok((await GroupMapping.LoadAsync(db, invite.GroupId, me, ct))!);
    }

    private static ProblemHttpResult Gone(string detail) => ProblemSetup.Problem(410, "invite-gone", "Invite no longer valid", detail);
}
