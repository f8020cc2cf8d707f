using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Domain.Ledger;
using PayTrack.Features.Accounts;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Admin;

/// <summary>
/// An admin suspends, reactivates or closes a user. The user's wallets follow: a suspended user's
/// wallets are <c>suspended</c> (money can neither leave nor arrive, by any path), a closed user's
/// are <c>closed</c>. A user is closed only when no money is or could still be on the way to or from
/// their wallets: balances and holds at zero, no pending hold either way, no pending deposit.
/// </summary>
public static class ChangeUserStatus
{
    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Handle(
        Guid id, string action, ClaimsPrincipal principal, PayTrackDb db, LedgerBook book, DomainEvents events, SessionCache sessions, TimeProvider clock, CancellationToken ct)
    {
        var adminId = principal.UserId();
        if (id == adminId)
            return ProblemSetup.Problem(409, "cannot-change-own-status", "Not on yourself", "Admins cannot suspend, reactivate or close their own account.");

        var result = await Sql.InTransactionAsync(db, async c =>
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, c);
            if (user is null) return (Refusal: ProblemSetup.NotFound("The user"), User: (User?)null);
            var before = user.Status;
            var after = UserStatus.Transition(user.Status, action);
            var now = clock.GetUtcNow().UtcDateTime;

            // Lock the wallets first: a movement that touches them waits for this change, or has committed and is seen below.
            var walletIds = await db.Accounts.Where(a => a.UserId == id).Select(a => a.Id).ToListAsync(c);
            var locked = walletIds.Count == 0 ? [] : await book.LockAsync(walletIds, c);
            if (after == UserStatus.Closed && await WhyNotClosableAsync(db, locked, walletIds, c) is { } why)
                return (Refusal: why, User: (User?)null);

            user.Status = after;
            user.UpdatedAt = now;
            events.AddTo(db, new DomainEvent("user." + after, adminId, id, "user", id, new { from = before, to = after }));
            await db.SaveChangesAsync(c);
            var walletStatus = after switch { UserStatus.Suspended => AccountStatus.Suspended, UserStatus.Closed => AccountStatus.Closed, _ => AccountStatus.Active };
            // A wallet closed on its own stays closed when its owner is reactivated.
            var from = after == UserStatus.Active ? AccountStatus.Suspended : AccountStatus.Active;
            await db.Accounts.Where(a => a.UserId == id && (a.Status == from || (after == UserStatus.Closed && a.Status == AccountStatus.Suspended)))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, walletStatus).SetProperty(a => a.UpdatedAt, now), c);
            if (after != UserStatus.Active)
            {
                await db.Sessions.Where(s => s.UserId == id && s.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "account-" + after), c);
            }
            return (Refusal: (ProblemHttpResult?)null, User: user);
        }, ct);

        if (result.Refusal is { } refusal) return refusal;
        sessions.Forget();
        return TypedResults.Ok(result.User!.ToResponse());
    }

    private static async Task<ProblemHttpResult?> WhyNotClosableAsync(PayTrackDb db, Dictionary<Guid, LockedAccount> locked, List<Guid> walletIds, CancellationToken ct)
    {
        if (locked.Values.Any(a => a.Balance != 0 || a.Held != 0))
            return ProblemSetup.Problem(409, "balance-not-zero", "Wallets not empty", "A user can only be closed when every wallet is at zero with nothing held.");
        if (await db.Transfers.AnyAsync(t => t.Status == TransferStatus.Pending && (walletIds.Contains(t.ToAccountId) || walletIds.Contains(t.FromAccountId)), ct))
            return ProblemSetup.Problem(409, "holds-pending", "Money on hold",
                "Someone holds money for this user (or the user for someone else). Close the user once every hold is captured, voided or expired.");
        if (await db.Payments.AnyAsync(p => p.Status == PaymentStatus.Pending && walletIds.Contains(p.AccountId), ct))
            return ProblemSetup.Problem(409, "payments-pending", "Payment on the way",
                "A deposit or withdrawal of this user is still being processed. Close the user once it has settled.");
        return null;
    }
}
