using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

public sealed class GroupConcurrencyTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:Enabled"] = "false" };

    [Fact]
    public async Task ParallelExpensesAndEdits_KeepTheRunningTotalsExact()
    {
        var users = new List<SignedInUser>();
        for (var i = 0; i < 4; i++) users.Add(await App.RegisterAndSignInAsync());
        var group = await users[0].CreateGroupAsync();
        foreach (var u in users.Skip(1)) await users[0].JoinAsync(group.Id, u);
        var everyone = GroupSteps.Equal([.. users]);

        var created = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            users[i % 4].AddExpenseAsync(group.Id, new { description = $"e{i}", amount = $"{i + 1}.01", date = "2026-03-01", split = everyone })));
        // Everyone edits the same expense at once with the same version: exactly one edit wins.
        var target = created[0];
        var edits = await Task.WhenAll(users.Select(u => users[0].Client.PutAsJsonAsync($"/api/v1/groups/{group.Id}/expenses/{target.Id}",
            new { description = "edited", amount = "100.00", date = "2026-03-01", split = everyone, version = target.Version })));
        edits.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        edits.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(3);

        var balances = await users[0].BalancesAsync(group.Id);
        long Minor(string s) => (long)(decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture) * 100);
        balances.Members.Sum(m => Minor(m.Balance)).ShouldBe(0);
        var expected = created.Skip(1).Sum(e => Minor(e.Amount)) + 10_000;
        balances.Members.Sum(m => Minor(m.Paid)).ShouldBe(expected);
        balances.Members.Sum(m => Minor(m.Owed)).ShouldBe(expected);
        // The totals equal what the expenses say, member by member.
        var all = (await users[0].Client.GetFromJsonAsync<PageDto<GroupExpenseDto>>($"/api/v1/groups/{group.Id}/expenses?limit=200"))!.Items;
        foreach (var m in balances.Members)
        {
            Minor(m.Paid).ShouldBe(all.SelectMany(e => e.Payers).Where(p => p.UserId == m.UserId).Sum(p => Minor(p.GroupAmount)));
            Minor(m.Owed).ShouldBe(all.SelectMany(e => e.Shares).Where(p => p.UserId == m.UserId).Sum(p => Minor(p.GroupAmount)));
        }
    }
}
