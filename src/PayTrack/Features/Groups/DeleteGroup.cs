using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>An owner deletes a group whose balances are all zero and whose wallet is empty; its wallet is closed.</summary>
public static class DeleteGroup
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        if (!access.IsOwner) return GroupProblems.OwnerOnly("delete the group");
        var now = clock.UtcNowStored();
        var outcome = await Sql.InTransactionAsync(db, async c =>
        {
            if (await db.GroupMembers.AnyAsync(m => m.GroupId == id && m.PaidMinor - m.OwedMinor + m.SentMinor - m.ReceivedMinor != 0, c))
                return (object?)GroupProblems.NotSettled("Some members still owe or are owed money: settle up first.");
            // The wallet is closed only when empty, by one conditional statement (no money can arrive between a check and the close).
            var closed = await db.Accounts.Where(a => a.Id == access.Group.WalletId && a.BalanceMinor == 0 && a.HeldMinor == 0)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AccountStatus.Closed).SetProperty(a => a.UpdatedAt, now), c);
            if (closed != 1) return GroupProblems.NotSettled("The group's wallet still holds money.");
            await db.Groups.Where(g => g.Id == id).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, now), c);
            GroupChanges.Record(db, events, clock, id, me, "deleted", "group", id, $"deleted the group {access.Group.Name}", new { name = access.Group.Name });
            await db.SaveChangesAsync(c);
            return null;
        }, ct);
        return outcome is ProblemHttpResult problem ? problem : TypedResults.NoContent();
    }
}
