using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain.Groups;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>
/// Each member's totals and balance in the group currency, read from the running totals (one indexed read,
/// however many expenses the group has), and the suggested settle-up plan (<see cref="SettleUp"/>).
/// </summary>
public static class GetBalances
{
    public static async Task<Results<Ok<BalancesResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var access = await GroupAccess.FindAsync(db, id, principal.UserId(), ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        return TypedResults.Ok(await ComputeAsync(db, access.Group, ct));
    }

    public static async Task<BalancesResponse> ComputeAsync(PayTrackDb db, Group group, CancellationToken ct)
    {
        var rows = await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == group.Id).OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId).ToListAsync(ct);
        var c = group.Currency;
        // Members who left have a zero balance (leaving requires it), so the current members' balances sum to zero too.
        var members = rows.Where(m => m.LeftAt is null).Select(m => new MemberBalanceResponse(m.UserId,
            GroupMapping.Amount(m.PaidMinor, c), GroupMapping.Amount(m.OwedMinor, c), GroupMapping.Amount(m.SentMinor, c),
            GroupMapping.Amount(m.ReceivedMinor, c), GroupMapping.Amount(m.BalanceMinor, c))).ToList();
        var plan = SettleUp.Plan(rows.Select(m => (m.UserId, m.BalanceMinor)));
        return new BalancesResponse(c, members, plan.Select(t => new SuggestedTransferResponse(t.From, t.To, GroupMapping.Amount(t.Minor, c))).ToList());
    }
}
