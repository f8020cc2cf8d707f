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
/// An owner removes a member, or a member leaves; only with a zero balance, and never the last owner. The
/// member row stays (with <c>left_at</c>) so history reads, but every request of theirs under the group is 404 from now on.
/// </summary>
public static class RemoveMember
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, Guid userId, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        if (userId != me && !access.IsOwner) return GroupProblems.OwnerOnly("remove other members");
        var now = clock.UtcNowStored();
        var outcome = await Sql.InTransactionAsync(db, async c =>
        {
            var member = await db.GroupMembers.AsNoTracking().FirstOrDefaultAsync(m => m.GroupId == id && m.UserId == userId && m.LeftAt == null, c);
            if (member is null) return (object?)ProblemSetup.NotFound("The member");
            if (member.Role == GroupRoles.Owner &&
                await db.GroupMembers.CountAsync(m => m.GroupId == id && m.LeftAt == null && m.Role == GroupRoles.Owner, c) == 1)
                return GroupProblems.LastOwner();
            // The balance is checked by the same statement that removes, so an expense booked meanwhile cannot slip past.
            var left = await db.GroupMembers
                .Where(m => m.GroupId == id && m.UserId == userId && m.LeftAt == null && m.PaidMinor - m.OwedMinor + m.SentMinor - m.ReceivedMinor == 0)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeftAt, now), c);
            if (left != 1)
                return GroupProblems.BalanceNotZero(userId == me ? "Your balance in this group is not zero: settle up before leaving." : "That member's balance is not zero: settle up first.");
            GroupChanges.Record(db, events, clock, id, me, "member.left", "member", userId, userId == me ? "left the group" : "removed a member",
                new { userId, role = member.Role });
            await db.SaveChangesAsync(c);
            return null;
        }, ct);
        return outcome is ProblemHttpResult problem ? problem : TypedResults.NoContent();
    }
}
