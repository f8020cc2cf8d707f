using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Accounts;
using PayTrack.Features.Transfers;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

public sealed record CreateSettlementRequest(Guid? ToUserId, [property: JsonConverter(typeof(AmountTextConverter))] string? Amount, string? Method, Guid? FromAccountId);

/// <summary>
/// The caller pays another member back. <c>wallet</c>: a ledger transfer from the caller's wallet in the group
/// currency to the recipient's, booked by the transfer engine (its rules, audit and events) in the same transaction
/// as the settlement, the running totals (and, through the idempotency gate, the Idempotency-Key's answer); refused, nothing at all is written.
/// <c>cash</c>: recorded only.
/// </summary>
public static class CreateSettlement
{
    public static async Task<Results<Created<SettlementResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, CreateSettlementRequest request, ClaimsPrincipal principal, PayTrackDb db, TransferEngine engine,
        DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var currency = Currency.Get(access.Group.Currency);
        var v = new Validation();
        if (request.Method is not ("wallet" or "cash")) v.Add("method", "method must be wallet or cash.");
        if (!Money.TryParse(request.Amount, currency, out var amount, out var amountError)) v.Add("amount", amountError);
        if (request.ToUserId is not { } to) v.Add("toUserId", "toUserId is required.");
        else if (to == me) v.Add("toUserId", "You cannot settle with yourself.");
        else if (!await db.GroupMembers.AnyAsync(m => m.GroupId == id && m.UserId == to && m.LeftAt == null, ct)) v.Add("toUserId", "toUserId is not a member of the group.");
        if (request.FromAccountId is not null && request.Method == "cash") v.Add("fromAccountId", "fromAccountId only applies to wallet settlements.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var toUser = request.ToUserId!.Value;

        Guid? fromAccount = request.FromAccountId;
        string? toEmail = null;
        if (request.Method == "wallet")
        {
            fromAccount ??= await db.Accounts.AsNoTracking()
                .Where(a => a.UserId == me && a.Currency == currency.Code && a.Kind == AccountKinds.Wallet && a.Status == AccountStatus.Active)
                .OrderBy(a => a.Name == AccountsEndpoints.MainWalletName ? 0 : 1).ThenBy(a => a.Id).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
            if (fromAccount is null)
                return ProblemSetup.Problem(422, "currency-mismatch", "No wallet in this currency", $"You have no active {currency.Code} wallet to settle from.");
            toEmail = await db.Users.Where(u => u.Id == toUser).Select(u => u.Email).FirstAsync(ct);
        }

        var now = clock.UtcNowStored();
        var outcome = await Sql.InTransactionAsync(db, async c =>
        {
            Guid? transferId = null;
            if (request.Method == "wallet")
            {
                var sent = await engine.SendOrNothingAsync(new TransferCommand(me, fromAccount, null, toEmail, amount.ToAmountString(),
                    $"Settle up in {access.Group.Name}", Hold: false, ExpiresInSeconds: null), c);
                if (sent is not TransferOutcome.Done done) return (object)sent;
                transferId = done.Transfer.Id;
            }
            var settlement = new GroupSettlement
            {
                Id = Guid.CreateVersion7(), GroupId = id, FromUserId = me, ToUserId = toUser, AmountMinor = amount.Minor, Currency = currency.Code,
                Method = request.Method!, TransferId = transferId, CreatedAt = now,
            };
            db.GroupSettlements.Add(settlement);
            await GroupChanges.ApplyAsync(db, id, [new GroupChanges.Delta(me, 0, 0, amount.Minor, 0), new GroupChanges.Delta(toUser, 0, 0, 0, amount.Minor)], c);
            var response = settlement.ToResponse();
            GroupChanges.Record(db, events, clock, id, me, "settlement.created", "settlement", settlement.Id,
                $"paid back {amount} ({settlement.Method})", after: response, involved: [me, toUser]);
            await db.SaveChangesAsync(c);
            return response;
        }, ct);
        return outcome switch
        {
            SettlementResponse s => TypedResults.Created($"/api/v1/groups/{id}/settlements/{s.Id}", s),
            TransferOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            TransferOutcome refused => TypedResults.Problem(refused.ToProblem()!),
            _ => throw new InvalidOperationException("Unknown outcome."),
        };
    }
}
