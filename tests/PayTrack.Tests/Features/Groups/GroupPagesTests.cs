using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

/// <summary>The group pages without JavaScript: they call the same use cases, so the API's rules hold in the UI.</summary>
public sealed class GroupPagesTests : ApiTest
{
    private const string Password = "correct horse battery";

    private async Task<HttpClient> WebSignInAsync(SignedInUser user)
    {
        var web = App.Anonymous();
        (await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return web;
    }

    [Fact]
    public async Task CreateGroup_AddAnExpense_InviteAndJoin_SettleInCash()
    {
        var ana = await App.RegisterAndSignInAsync(password: Password, displayName: "Ana");
        var ben = await App.RegisterAndSignInAsync(password: Password, displayName: "Ben");
        var web = await WebSignInAsync(ana);
        (await web.GetStringAsync("/groups")).ShouldContain("No groups yet");
        var created = await web.SubmitAsync("/groups", new Dictionary<string, string> { ["Form.Name"] = "Flat", ["Form.Currency"] = "EUR" });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var groupPath = created.Headers.Location!.ToString();
        var groupId = Guid.Parse(groupPath.Split('/')[^1]);

        // Invite: the link is shown to copy; Ben opens it, sees what it is for, and joins.
        var invited = await web.SubmitAsync(groupPath, new Dictionary<string, string> { ["InviteEmail"] = ben.Email, ["InviteRole"] = "member" }, groupPath + "?handler=Invite");
        invited.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await invited.Content.ReadAsStringAsync());
        var url = System.Text.RegularExpressions.Regex.Match(html, "value=\"(http[^\"]+/invites/[^\"]+)\"").Groups[1].Value;
        url.ShouldNotBeEmpty();
        var invitePath = new Uri(url).AbsolutePath;
        (await App.Anonymous().GetStringAsync(invitePath)).ShouldContain("Sign in");
        var benWeb = await WebSignInAsync(ben);
        var joined = await benWeb.SubmitAsync(invitePath, new Dictionary<string, string>());
        joined.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        joined.Headers.Location!.ToString().ShouldBe(groupPath);
        // Inviting him again says why not, under the e-mail field.
        var again = WebUtility.HtmlDecode(await (await web.SubmitAsync(groupPath, new Dictionary<string, string> { ["InviteEmail"] = ben.Email, ["InviteRole"] = "member" }, groupPath + "?handler=Invite")).Content.ReadAsStringAsync());
        System.Text.RegularExpressions.Regex.Match(again, "<small id=\"invite-error\"[^>]*>(.*?)</small>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Groups[1].Value.ShouldContain($"{ben.Email} is already a member of this group.");

        // A missing description is asked for in the form's words (its label is "What was it?").
        var nameless = WebUtility.HtmlDecode(await (await web.SubmitAsync($"{groupPath}/expenses/new", new Dictionary<string, string>
        {
            ["Form.Amount"] = "5", ["Form.Currency"] = "EUR", ["Form.Date"] = "2026-03-01", ["Form.Mode"] = "equal",
            ["Form.Rows[0].UserId"] = ana.Id.ToString(), ["Form.Rows[0].Included"] = "true",
        })).Content.ReadAsStringAsync());
        nameless.ShouldContain("A description is required.");

        // A split that does not add up is explained; a good one is saved and shows in the balances.
        var bad = await web.SubmitAsync($"{groupPath}/expenses/new", new Dictionary<string, string>
        {
            ["Form.Description"] = "Groceries", ["Form.Amount"] = "30,00", ["Form.Currency"] = "EUR", ["Form.Date"] = "2026-03-01", ["Form.Mode"] = "exact",
            ["Form.Rows[0].UserId"] = ana.Id.ToString(), ["Form.Rows[0].Included"] = "true", ["Form.Rows[0].Value"] = "10",
            ["Form.Rows[1].UserId"] = ben.Id.ToString(), ["Form.Rows[1].Included"] = "true", ["Form.Rows[1].Value"] = "15",
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()).ShouldContain("The exact amounts add up to 25.00, not 30.00: 5.00 is not assigned to anyone.");
        var good = await web.SubmitAsync($"{groupPath}/expenses/new", new Dictionary<string, string>
        {
            ["Form.Description"] = "Groceries", ["Form.Amount"] = "30", ["Form.Currency"] = "EUR", ["Form.Date"] = "2026-03-01", ["Form.Mode"] = "equal",
            ["Form.Rows[0].UserId"] = ana.Id.ToString(), ["Form.Rows[0].Included"] = "true",
            ["Form.Rows[1].UserId"] = ben.Id.ToString(), ["Form.Rows[1].Included"] = "true",
        });
        good.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = WebUtility.HtmlDecode(await benWeb.GetStringAsync(groupPath));
        page.ShouldContain("Groceries");
        page.ShouldContain("Pay from wallet");

        // Ben settles in cash from the suggestion; everyone is settled up.
        var settled = await benWeb.SubmitAsync(groupPath, new Dictionary<string, string>
        {
            ["toUserId"] = ana.Id.ToString(), ["amount"] = "15.00", ["method"] = "cash", ["formKey"] = Guid.NewGuid().ToString("N"),
        }, groupPath + "?handler=Settle");
        settled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await benWeb.GetStringAsync(groupPath)).ShouldContain("Everyone is settled up.");
        (await ben.BalancesAsync(groupId)).Members.ShouldAllBe(m => m.Balance == "0.00");

        var csv = await web.GetAsync(groupPath + "?handler=Export");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await csv.Content.ReadAsStringAsync()).ShouldContain("Groceries");

        // The last owner cannot leave (the reason is shown); Ben, settled, can, and the group is gone from his list.
        var stay = await web.SubmitAsync(groupPath, new Dictionary<string, string>(), $"{groupPath}?handler=RemoveMember&userId={ana.Id}");
        stay.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await stay.Content.ReadAsStringAsync()).ShouldContain("A group needs an owner");
        var left = await benWeb.SubmitAsync(groupPath, new Dictionary<string, string>(), $"{groupPath}?handler=RemoveMember&userId={ben.Id}");
        left.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await benWeb.GetStringAsync("/groups")).ShouldContain("No groups yet");
        (await benWeb.GetAsync(groupPath)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GroupPage_Is404ForNonMembers()
    {
        var ana = await App.RegisterAndSignInAsync(password: Password);
        var eve = await App.RegisterAndSignInAsync(password: Password);
        var group = await ana.CreateGroupAsync();
        var web = await WebSignInAsync(eve);
        (await web.GetAsync($"/groups/{group.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await web.GetAsync($"/groups/{group.Id}/expenses/new")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await web.GetAsync($"/groups/{group.Id}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
