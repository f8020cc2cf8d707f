using System.Net.Http.Json;
using System.Text.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

public sealed record MemberDto(Guid UserId, string DisplayName, string Email, string Role, string Balance);
public sealed record GroupDto(Guid Id, string Name, string Currency, Guid WalletId, string MyRole, List<MemberDto> Members, DateTime CreatedAt);
public sealed record AmountDto(Guid UserId, string Amount, string GroupAmount);
public sealed record SplitPartDto(Guid UserId, string? Value);
public sealed record SplitDto(string Mode, List<SplitPartDto> Parts);
public sealed record GroupExpenseDto(Guid Id, Guid GroupId, string Description, string Amount, string Currency, string Rate, string GroupAmount, string Date,
    string? Category, List<AmountDto> Payers, List<AmountDto> Shares, SplitDto Split, Guid CreatedBy, DateTime CreatedAt, DateTime UpdatedAt, int Version);
public sealed record MemberBalanceDto(Guid UserId, string Paid, string Owed, string Sent, string Received, string Balance);
public sealed record SuggestedDto(Guid FromUserId, Guid ToUserId, string Amount);
public sealed record BalancesDto(string Currency, List<MemberBalanceDto> Members, List<SuggestedDto> Suggested);
public sealed record SettlementDto(Guid Id, Guid GroupId, Guid FromUserId, Guid ToUserId, string Amount, string Currency, string Method, Guid? TransferId, DateTime CreatedAt);
public sealed record InviteDto(Guid Id, string Email, string Role, DateTime ExpiresAt, string Url);
public sealed record InviteInfoDto(string GroupName, string InvitedBy, string Email, DateTime ExpiresAt);
public sealed record ActivityDto(Guid Id, DateTime At, Guid ActorId, string Action, string EntityType, Guid EntityId, string Summary, JsonElement? Before, JsonElement? After);

/// <summary>Group set-up steps shared by the group tests.</summary>
public static class GroupSteps
{
    public static async Task<GroupDto> CreateGroupAsync(this SignedInUser owner, string name = "Trip", string currency = "USD")
    {
        var res = await owner.Client.PostAsJsonAsync("/api/v1/groups", new { name, currency });
        await res.ShouldHaveStatusAsync(System.Net.HttpStatusCode.Created);
        return (await res.Content.ReadFromJsonAsync<GroupDto>())!;
    }

    public static string Token(this InviteDto invite) => invite.Url[(invite.Url.LastIndexOf('/') + 1)..];

    /// <summary>The owner invites the user, who accepts.</summary>
    public static async Task JoinAsync(this SignedInUser owner, Guid groupId, SignedInUser user, string? role = null)
    {
        var res = await owner.Client.PostAsJsonAsync($"/api/v1/groups/{groupId}/invites", new { email = user.Email, role });
        await res.ShouldHaveStatusAsync(System.Net.HttpStatusCode.Created);
        var invite = (await res.Content.ReadFromJsonAsync<InviteDto>())!;
        var accept = await user.Client.PostAsync($"/api/v1/invites/{invite.Token()}/accept", null);
        await accept.ShouldHaveStatusAsync(System.Net.HttpStatusCode.OK);
    }

    public static async Task<GroupExpenseDto> AddExpenseAsync(this SignedInUser user, Guid groupId, object body)
    {
        var res = await user.Client.PostAsJsonAsync($"/api/v1/groups/{groupId}/expenses", body);
        await res.ShouldHaveStatusAsync(System.Net.HttpStatusCode.Created);
        return (await res.Content.ReadFromJsonAsync<GroupExpenseDto>())!;
    }

    public static async Task<BalancesDto> BalancesAsync(this SignedInUser user, Guid groupId) =>
        (await user.Client.GetFromJsonAsync<BalancesDto>($"/api/v1/groups/{groupId}/balances"))!;

    public static object Equal(params SignedInUser[] users) => new { mode = "equal", parts = users.Select(u => new { userId = u.Id }).ToArray() };
}
public sealed record AuditEventDto(string Id, DateTime At, Guid? ActorId, string Event, string EntityType, Guid EntityId, System.Text.Json.JsonElement Data);
