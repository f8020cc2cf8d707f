using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Audit;

public sealed class AuditTests : ApiTest
{
    private sealed record VerifyDto(bool Valid, long Checked, string? FirstInvalidId);
    private sealed record EventDto(string Id, DateTime At, Guid? ActorId, string Event, string EntityType, Guid EntityId, JsonElement Data);

    private async Task<(SignedInUser Admin, SignedInUser Ann)> ActivityAsync()
    {
        var admin = await App.RegisterAndSignInAsync();
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        await App.FundAsync(ann.Id, wallet.Id, "20.00");
        for (var i = 0; i < 3; i++)
            await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "1" });
        await admin.Client.PostAsync($"/api/v1/admin/users/{bob.Id}/suspend", null);
        return (admin, ann);
    }

    [Fact]
    public async Task Verify_OnAnUntouchedLog_IsValid()
    {
        var (admin, _) = await ActivityAsync();
        var result = (await admin.Client.GetFromJsonAsync<VerifyDto>("/api/v1/admin/audit/verify"))!;
        result.Valid.ShouldBeTrue();
        result.Checked.ShouldBeGreaterThan(10);
        result.FirstInvalidId.ShouldBeNull();
    }

    [Fact]
    public async Task Verify_WhenAnEventIsEditedInTheDatabase_FailsAtThatEvent()
    {
        var (admin, _) = await ActivityAsync();
        await admin.Client.GetAsync("/api/v1/admin/audit/verify"); // seal everything
        long target;
        await using (var db = App.Database.OpenContext())
        {
            target = await db.AuditEvents.Where(e => e.Event == "transfer.completed").OrderBy(e => e.Seq).Select(e => e.Id).Skip(1).FirstAsync();
            await db.AuditEvents.Where(e => e.Id == target).ExecuteUpdateAsync(s => s.SetProperty(e => e.Data, """{"amount":"1000.00"}"""));
        }
        var result = (await admin.Client.GetFromJsonAsync<VerifyDto>("/api/v1/admin/audit/verify"))!;
        result.Valid.ShouldBeFalse();
        result.FirstInvalidId.ShouldBe(target.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Verify_WhenAnEventIsDeleted_FailsAtTheNextOne()
    {
        var (admin, _) = await ActivityAsync();
        await admin.Client.GetAsync("/api/v1/admin/audit/verify");
        long next;
        await using (var db = App.Database.OpenContext())
        {
            var ordered = await db.AuditEvents.OrderBy(e => e.Seq).Select(e => e.Id).ToListAsync();
            await db.AuditEvents.Where(e => e.Id == ordered[3]).ExecuteDeleteAsync();
            next = ordered[4];
        }
        var result = (await admin.Client.GetFromJsonAsync<VerifyDto>("/api/v1/admin/audit/verify"))!;
        result.Valid.ShouldBeFalse();
        result.FirstInvalidId.ShouldBe(next.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Verify_WhenTheNewestEventsAreDeleted_IsInvalid()
    {
        var (admin, _) = await ActivityAsync();
        await admin.Client.GetAsync("/api/v1/admin/audit/verify");
        await using (var db = App.Database.OpenContext())
        {
            var last = await db.AuditEvents.MaxAsync(e => e.Seq);
            await db.AuditEvents.Where(e => e.Seq == last).ExecuteDeleteAsync();
        }
        (await admin.Client.GetFromJsonAsync<VerifyDto>("/api/v1/admin/audit/verify"))!.Valid.ShouldBeFalse();
    }

    [Fact]
    public async Task Verify_IsForAdminsOnly()
    {
        var (_, ann) = await ActivityAsync();
        await (await ann.Client.GetAsync("/api/v1/admin/audit/verify")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await App.Anonymous().GetAsync("/api/v1/admin/audit/verify")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AuditList_ShowsTheCallersOwnEvents_AdminsSeeAnyone()
    {
        var (admin, ann) = await ActivityAsync();
        var mine = (await ann.Client.GetFromJsonAsync<PageDto<EventDto>>("/api/v1/audit?limit=200"))!.Items;
        mine.ShouldNotBeEmpty();
        mine.Count(e => e.Event == "transfer.completed").ShouldBe(3);
        mine.ShouldContain(e => e.Event == "user.registered");
        mine.ShouldNotContain(e => e.Event == "user.suspended"); // that was about bob
        mine.Select(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).ShouldBeInOrder(SortDirection.Descending);

        await (await ann.Client.GetAsync($"/api/v1/audit?userId={admin.Id}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var annsSeenByAdmin = (await admin.Client.GetFromJsonAsync<PageDto<EventDto>>($"/api/v1/audit?userId={ann.Id}&limit=200"))!.Items;
        annsSeenByAdmin.Select(e => e.Id).ShouldBe(mine.Select(e => e.Id));
        var everything = (await admin.Client.GetFromJsonAsync<PageDto<EventDto>>("/api/v1/audit?limit=200"))!.Items;
        everything.ShouldContain(e => e.Event == "user.suspended");
        // What the admin did to someone else is in the admin's history (as its actor), once.
        var adminsOwn = (await admin.Client.GetFromJsonAsync<PageDto<EventDto>>($"/api/v1/audit?userId={admin.Id}&limit=200"))!.Items;
        adminsOwn.Count(e => e.Event == "user.suspended").ShouldBe(1);
        adminsOwn.Select(e => e.Id).ShouldBeUnique();
        adminsOwn.Select(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).ShouldBeInOrder(SortDirection.Descending);

        var page = (await ann.Client.GetFromJsonAsync<PageDto<EventDto>>("/api/v1/audit?limit=2"))!;
        var second = (await ann.Client.GetFromJsonAsync<PageDto<EventDto>>($"/api/v1/audit?limit=2&cursor={page.NextCursor}"))!;
        second.Items.Select(e => e.Id).ShouldBe(mine.Skip(2).Take(2).Select(e => e.Id));
    }
}
