using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

public sealed class GroupsTests : ApiTest
{
    [Fact]
    public async Task Create_AnswersTheGroupWithTheCallerAsOwnerAndAWallet()
    {
        var me = await App.RegisterAndSignInAsync(displayName: "Ana");
        var res = await me.Client.PostAsJsonAsync("/api/v1/groups", new { name = " Lisbon trip ", currency = "EUR" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var group = (await res.Content.ReadFromJsonAsync<GroupDto>())!;
        res.Headers.Location!.ToString().ShouldBe($"/api/v1/groups/{group.Id}");
        group.Name.ShouldBe("Lisbon trip");
        group.Currency.ShouldBe("EUR");
        group.MyRole.ShouldBe("owner");
        group.Members.ShouldHaveSingleItem().ShouldBe(new MemberDto(me.Id, "Ana", me.Email, "owner", "0.00"));
        group.WalletId.ShouldNotBe(Guid.Empty);
        // The group's wallet is not one of the owner's own wallets.
        (await me.Client.GetFromJsonAsync<ItemsDto<AccountDto>>("/api/v1/accounts"))!.Items.ShouldNotContain(a => a.Id == group.WalletId);

        (await me.Client.GetFromJsonAsync<GroupDto>($"/api/v1/groups/{group.Id}"))!.ShouldBeEquivalentTo(group);
        (await me.Client.GetFromJsonAsync<ItemsDto<GroupDto>>("/api/v1/groups"))!.Items.ShouldHaveSingleItem().Id.ShouldBe(group.Id);
    }

    [Theory]
    [InlineData(null, "EUR", "name")]
    [InlineData("Trip", "XXX", "currency")]
    public async Task Create_WithBadFields_Returns400(string? name, string currency, string field)
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/groups", new { name, currency });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.ShouldContainKey(field);
    }

    [Fact]
    public async Task EverythingUnderAGroup_Is404ForNonMembers()
    {
        var owner = await App.RegisterAndSignInAsync();
        var stranger = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        var expense = await owner.AddExpenseAsync(group.Id, new { description = "Taxi", amount = "10", date = "2026-03-01", split = GroupSteps.Equal(owner) });
        foreach (var path in new[] { "", "/expenses", $"/expenses/{expense.Id}", "/expenses.csv", "/balances", "/settlements", "/activity" })
            await (await stranger.Client.GetAsync($"/api/v1/groups/{group.Id}{path}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}", new { name = "Mine" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.DeleteAsync($"/api/v1/groups/{group.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/expenses", new { description = "x", amount = "1", date = "2026-03-01", split = GroupSteps.Equal(stranger) }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.DeleteAsync($"/api/v1/groups/{group.Id}/expenses/{expense.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await PayTrackApp.PostIdempotentAsync(stranger.Client, $"/api/v1/groups/{group.Id}/settlements", new { toUserId = owner.Id, amount = "1", method = "cash" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await stranger.Client.GetFromJsonAsync<ItemsDto<GroupDto>>("/api/v1/groups"))!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Rename_ByOwner_Changes_ByMember_Returns403()
    {
        var owner = await App.RegisterAndSignInAsync();
        var member = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        await owner.JoinAsync(group.Id, member);
        var res = await owner.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}", new { name = "Porto" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<GroupDto>())!.Name.ShouldBe("Porto");
        await (await member.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}", new { name = "Mine" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Invite_ThenAccept_JoinsTheGroup_AndTheLinkWorksOnce()
    {
        var owner = await App.RegisterAndSignInAsync(displayName: "Owner");
        var friend = await App.RegisterAndSignInAsync(displayName: "Friend");
        var other = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync("Flat");
        var res = await owner.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invites", new { email = friend.Email.ToUpperInvariant(), role = "approver" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var invite = (await res.Content.ReadFromJsonAsync<InviteDto>())!;
        invite.Role.ShouldBe("approver");
        invite.Url.ShouldStartWith("http");
        invite.Url.ShouldContain("/invites/");
        invite.ExpiresAt.ShouldBeInRange(DateTime.UtcNow.AddDays(6.9), DateTime.UtcNow.AddDays(7.1));

        var info = (await friend.Client.GetFromJsonAsync<InviteInfoDto>($"/api/v1/invites/{invite.Token()}"))!;
        info.GroupName.ShouldBe("Flat");
        info.InvitedBy.ShouldBe("Owner");
        await (await friend.Client.GetAsync("/api/v1/invites/not-a-token")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        await (await other.Client.PostAsync($"/api/v1/invites/{invite.Token()}/accept", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var accepted = await friend.Client.PostAsync($"/api/v1/invites/{invite.Token()}/accept", null);
        await accepted.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var joined = (await accepted.Content.ReadFromJsonAsync<GroupDto>())!;
        joined.MyRole.ShouldBe("approver");
        joined.Members.Select(m => m.UserId).ShouldBe([owner.Id, friend.Id], ignoreOrder: true);
        await (await friend.Client.PostAsync($"/api/v1/invites/{invite.Token()}/accept", null)).ShouldBeProblemAsync(HttpStatusCode.Gone);
        await (await friend.Client.PostAsync("/api/v1/invites/unknown/accept", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invite_AfterSevenDays_Returns410_AndOnlyOwnersInvite()
    {
        var owner = await App.RegisterAndSignInAsync();
        var member = await App.RegisterAndSignInAsync();
        var late = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        await owner.JoinAsync(group.Id, member);
        await (await member.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invites", new { email = late.Email })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var res = await owner.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invites", new { email = late.Email });
        var invite = (await res.Content.ReadFromJsonAsync<InviteDto>())!;
        await (await owner.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invites", new { email = "not-an-address" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        App.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var signedInAgain = App.Authorized((await App.SignInAsync(late.Email, late.Password)).AccessToken);
        await (await signedInAgain.PostAsync($"/api/v1/invites/{invite.Token()}/accept", null)).ShouldBeProblemAsync(HttpStatusCode.Gone, "/problems/invite-gone");
    }

    [Fact]
    public async Task Invite_ToSomeoneAlreadyInTheGroup_Returns409_ButSomeoneWhoLeftCanBeInvitedBack()
    {
        var owner = await App.RegisterAndSignInAsync();
        var member = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        await owner.JoinAsync(group.Id, member);

        (await (await owner.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invites", new { email = owner.Email })).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/already-a-member"))
            .Detail.ShouldBe($"{owner.Email} is already a member of this group.");
        await (await owner.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invites", new { email = member.Email.ToUpperInvariant() }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/already-a-member");

        (await member.Client.DeleteAsync($"/api/v1/groups/{group.Id}/members/{member.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await owner.JoinAsync(group.Id, member);
    }

    [Fact]
    public async Task Roles_OwnerChangesThem_TheLastOwnerStays()
    {
        var owner = await App.RegisterAndSignInAsync();
        var member = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        await owner.JoinAsync(group.Id, member);
        await (await member.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}/members/{owner.Id}", new { role = "member" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}/members/{owner.Id}", new { role = "member" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/last-owner");
        await (await owner.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}/members/{member.Id}", new { role = "boss" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await owner.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}/members/{Guid.NewGuid()}", new { role = "member" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var res = await owner.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}/members/{member.Id}", new { role = "approver" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<GroupDto>())!.Members.Single(m => m.UserId == member.Id).Role.ShouldBe("approver");
    }

    [Fact]
    public async Task Leave_OnlyWithAZeroBalance_ThenAccessEndsAtOnce()
    {
        var owner = await App.RegisterAndSignInAsync();
        var member = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        await owner.JoinAsync(group.Id, member);
        await (await owner.Client.DeleteAsync($"/api/v1/groups/{group.Id}/members/{owner.Id}")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/last-owner");
        await owner.AddExpenseAsync(group.Id, new { description = "Dinner", amount = "20", date = "2026-03-01", split = GroupSteps.Equal(owner, member) });
        await (await member.Client.DeleteAsync($"/api/v1/groups/{group.Id}/members/{member.Id}")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/balance-not-zero");
        await (await member.Client.DeleteAsync($"/api/v1/groups/{group.Id}/members/{owner.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var settle = await PayTrackApp.PostIdempotentAsync(member.Client, $"/api/v1/groups/{group.Id}/settlements", new { toUserId = owner.Id, amount = "10", method = "cash" });
        await settle.ShouldHaveStatusAsync(HttpStatusCode.Created);
        await (await member.Client.DeleteAsync($"/api/v1/groups/{group.Id}/members/{member.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await member.Client.GetAsync($"/api/v1/groups/{group.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await member.Client.GetAsync($"/api/v1/groups/{group.Id}/expenses")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await owner.Client.GetFromJsonAsync<GroupDto>($"/api/v1/groups/{group.Id}"))!.Members.ShouldHaveSingleItem().UserId.ShouldBe(owner.Id);
        var activity = (await owner.Client.GetFromJsonAsync<PageDto<ActivityDto>>($"/api/v1/groups/{group.Id}/activity"))!;
        activity.Items[0].Action.ShouldBe("member.left");
        activity.Items.Select(a => a.Action).ShouldContain("member.joined");
        activity.Items.Select(a => a.Action).ShouldContain("settlement.created");
    }

    [Fact]
    public async Task Delete_OnlyWhenSettled_ThenTheGroupIsGone()
    {
        var owner = await App.RegisterAndSignInAsync();
        var member = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        await owner.JoinAsync(group.Id, member);
        await owner.AddExpenseAsync(group.Id, new { description = "Dinner", amount = "20", date = "2026-03-01", split = GroupSteps.Equal(owner, member) });
        await (await member.Client.DeleteAsync($"/api/v1/groups/{group.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.Client.DeleteAsync($"/api/v1/groups/{group.Id}")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/group-not-settled");
        await (await PayTrackApp.PostIdempotentAsync(member.Client, $"/api/v1/groups/{group.Id}/settlements", new { toUserId = owner.Id, amount = "10", method = "cash" }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);

        // Money in the group's wallet also keeps it from being deleted.
        var wallet = await PayTrackApp.MainWalletAsync(owner);
        await App.FundAsync(owner.Id, wallet.Id, "5.00");
        await (await PayTrackApp.PostIdempotentAsync(owner.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toAccountId = group.WalletId, amount = "5.00" }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        await (await owner.Client.DeleteAsync($"/api/v1/groups/{group.Id}")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/group-not-settled");

        var empty = await owner.CreateGroupAsync("Empty");
        await (await owner.Client.DeleteAsync($"/api/v1/groups/{empty.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await owner.Client.GetAsync($"/api/v1/groups/{empty.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await owner.Client.GetFromJsonAsync<ItemsDto<GroupDto>>("/api/v1/groups"))!.Items.ShouldHaveSingleItem().Id.ShouldBe(group.Id);
    }
}

public sealed class GroupWalletTests : ApiTest
{
    [Fact]
    public async Task AnyoneSendsToTheGroupWallet_OnlyOwnersSendFromIt()
    {
        var owner = await App.RegisterAndSignInAsync();
        var member = await App.RegisterAndSignInAsync();
        var group = await owner.CreateGroupAsync();
        await owner.JoinAsync(group.Id, member);
        var memberWallet = await PayTrackApp.MainWalletAsync(member);
        await App.FundAsync(member.Id, memberWallet.Id, "40.00");
        await (await PayTrackApp.PostIdempotentAsync(member.Client, "/api/v1/transfers", new { fromAccountId = memberWallet.Id, toAccountId = group.WalletId, amount = "40.00" }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);

        await (await PayTrackApp.PostIdempotentAsync(member.Client, "/api/v1/transfers", new { fromAccountId = group.WalletId, toEmail = member.Email, amount = "1.00" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var res = await PayTrackApp.PostIdempotentAsync(owner.Client, "/api/v1/transfers", new { fromAccountId = group.WalletId, toEmail = member.Email, amount = "15.00" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        (await res.Content.ReadFromJsonAsync<TransferDto>())!.FromAccountId.ShouldBe(group.WalletId);
        (await PayTrackApp.MainWalletAsync(member)).Balance.ShouldBe("15.00");
        await (await PayTrackApp.PostIdempotentAsync(owner.Client, "/api/v1/transfers", new { fromAccountId = group.WalletId, toEmail = member.Email, amount = "30.00" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");

        // An owner who is no longer one cannot.
        await (await owner.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}/members/{member.Id}", new { role = "owner" })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await member.Client.PatchAsJsonAsync($"/api/v1/groups/{group.Id}/members/{owner.Id}", new { role = "member" })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await PayTrackApp.PostIdempotentAsync(owner.Client, "/api/v1/transfers", new { fromAccountId = group.WalletId, toEmail = member.Email, amount = "1.00" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
