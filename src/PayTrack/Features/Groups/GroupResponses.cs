using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Accounts;

namespace PayTrack.Features.Groups;

public sealed record GroupMemberResponse(Guid UserId, string DisplayName, string Email, string Role, string Balance);

public sealed record GroupResponse(Guid Id, string Name, string Currency, Guid WalletId, string MyRole, List<GroupMemberResponse> Members, DateTime CreatedAt);

public sealed record GroupAmountResponse(Guid UserId, string Amount, string GroupAmount);

public sealed record SplitPartResponse(Guid UserId, string? Value);

public sealed record SplitResponse(string Mode, List<SplitPartResponse> Parts);

public sealed record GroupExpenseResponse(
    Guid Id, Guid GroupId, string Description, string Amount, string Currency, string Rate, string GroupAmount, DateOnly Date, string? Category,
    List<GroupAmountResponse> Payers, List<GroupAmountResponse> Shares, SplitResponse Split, Guid CreatedBy, DateTime CreatedAt, DateTime UpdatedAt, int Version);

public sealed record MemberBalanceResponse(Guid UserId, string Paid, string Owed, string Sent, string Received, string Balance);

public sealed record SuggestedTransferResponse(Guid FromUserId, Guid ToUserId, string Amount);

public sealed record BalancesResponse(string Currency, List<MemberBalanceResponse> Members, List<SuggestedTransferResponse> Suggested);

public sealed record SettlementResponse(Guid Id, Guid GroupId, Guid FromUserId, Guid ToUserId, string Amount, string Currency, string Method, Guid? TransferId, DateTime CreatedAt);

public sealed record InviteResponse(Guid Id, string Email, string Role, DateTime ExpiresAt, string Url);

public sealed record InviteInfoResponse(string GroupName, string InvitedBy, string Email, DateTime ExpiresAt);

/// <summary>An invite as its recipient sees it without the link: for the in-app notification's page.</summary>
public sealed record ReceivedInviteResponse(Guid Id, string GroupName, string InvitedBy, string Email, string Role, DateTime ExpiresAt, DateTime? AcceptedAt);

public sealed record ActivityResponse(
    Guid Id, DateTime At, Guid ActorId, string Action, string EntityType, Guid EntityId, string Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Before,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? After);

public static class GroupMapping
{
    public static string Amount(long minor, string currency) => AccountMapping.Amount(minor, currency);

    /// <summary>The group as <paramref name="me"/> sees it (a member), with its current members and their balances.</summary>
    public static async Task<GroupResponse?> LoadAsync(PayTrackDb db, Guid groupId, Guid me, CancellationToken ct)
    {
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId && g.DeletedAt == null, ct);
        if (group is null) return null;
        var members = await (from m in db.GroupMembers.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where m.GroupId == groupId && m.LeftAt == null
                             select new { m, u.DisplayName, u.Email }).ToListAsync(ct);
        var mine = members.FirstOrDefault(x => x.m.UserId == me);
        if (mine is null) return null;
        return new GroupResponse(group.Id, group.Name, group.Currency, group.WalletId, mine.m.Role,
            members.OrderBy(x => x.m.JoinedAt).ThenBy(x => x.m.UserId)
                .Select(x => new GroupMemberResponse(x.m.UserId, x.DisplayName, x.Email, x.m.Role, Amount(x.m.BalanceMinor, group.Currency))).ToList(),
            group.CreatedAt);
    }

    public static GroupExpenseResponse ToResponse(this GroupExpense e, string groupCurrency)
    {
        List<GroupAmountResponse> Parts(string kind) => e.Parts.Where(p => p.Kind == kind).OrderBy(p => p.UserId)
            .Select(p => new GroupAmountResponse(p.UserId, Amount(p.AmountMinor, e.Currency), Amount(p.GroupMinor, groupCurrency))).ToList();
        var split = new SplitResponse(e.SplitMode, e.Parts.Where(p => p.Kind == GroupPartKinds.Share).OrderBy(p => p.UserId)
            .Select(p => new SplitPartResponse(p.UserId, p.Value)).ToList());
        return new GroupExpenseResponse(e.Id, e.GroupId, e.Description, Amount(e.AmountMinor, e.Currency), e.Currency, e.Rate,
            Amount(e.GroupAmountMinor, groupCurrency), e.Date, e.Category, Parts(GroupPartKinds.Payer), Parts(GroupPartKinds.Share), split,
            e.CreatedBy, e.CreatedAt, e.UpdatedAt, e.Version);
    }

    public static SettlementResponse ToResponse(this GroupSettlement s) =>
        new(s.Id, s.GroupId, s.FromUserId, s.ToUserId, Amount(s.AmountMinor, s.Currency), s.Currency, s.Method, s.TransferId, s.CreatedAt);

    public static ActivityResponse ToResponse(this GroupActivity a) =>
        new(a.Id, a.At, a.ActorId, a.Action, a.EntityType, a.EntityId, a.Summary, Json(a.Before), Json(a.After));

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();

    public static string Money(long minor, string currency) => Domain.Money.FromMinor(minor, currency).ToString();
}
