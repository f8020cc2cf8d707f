using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Accounts;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Groups;

public sealed record CreateGroupRequest(string? Name, string? Currency);

/// <summary>Creates a group with the caller as its owner, and the group's wallet in its currency (owned by no user).</summary>
public static class CreateGroup
{
    public const int MaxName = 100;

    public static async Task<Results<Created<GroupResponse>, ValidationProblem>> Handle(
        CreateGroupRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().Require("name", request.Name, "name is required.").MaxLength("name", request.Name?.Trim(), MaxName);
        if (!Currency.TryGet(request.Currency, out var currency)) v.Add("currency", $"'{request.Currency}' is not a supported ISO 4217 currency code.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var me = principal.UserId();
        var now = clock.UtcNowStored();
        var name = request.Name!.Trim();
        var group = new Group { Id = Guid.CreateVersion7(), Name = name, Currency = currency.Code, CreatedBy = me, CreatedAt = now, UpdatedAt = now };
        // The group's wallet belongs to no user (user_id NULL), so it never shows among anyone's own wallets.
        var wallet = AccountsEndpoints.NewWallet(me, "Group " + group.Id.ToString("N"), currency.Code, now);
        wallet.UserId = null;
        group.WalletId = wallet.Id;

        await Sql.InTransactionAsync(db, async c =>
        {
            db.Accounts.Add(wallet);
            db.Groups.Add(group);
            db.GroupMembers.Add(new GroupMember { GroupId = group.Id, UserId = me, Role = GroupRoles.Owner, JoinedAt = now });
            GroupChanges.Record(db, events, clock, group.Id, me, "created", "group", group.Id, $"created the group {name}", after: new { name, currency = currency.Code });
            await db.SaveChangesAsync(c);
            return 0;
        }, ct);
        return TypedResults.Created($"/api/v1/groups/{group.Id}", (await GroupMapping.LoadAsync(db, group.Id, me, ct))!);
    }
}
