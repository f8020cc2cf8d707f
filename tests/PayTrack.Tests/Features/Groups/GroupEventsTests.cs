using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Infrastructure.Live;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

/// <summary>An open Server-Sent Events stream, read event by event.</summary>
public sealed class SseReader(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public static async Task<SseReader> OpenAsync(HttpClient client, string path)
    {
        var res = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        res.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return new SseReader(res, new StreamReader(await res.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event (comment lines skipped), or null when the stream ended or nothing came in time.</summary>
    public async Task<(string Event, JsonElement Data)?> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string? name = null;
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
                    return (name, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
            }
        }
        catch (OperationCanceledException) { }
        return null;
    }

    /// <summary>
    /// The first event about <paramref name="action"/> within the timeout (events of earlier changes, still on their
    /// way from the outbox when the stream opened, are skipped), or null.
    /// </summary>
    public async Task<(string Event, JsonElement Data)?> UntilAsync(string action, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var e = await NextAsync(timeout - deadline.Elapsed);
            if (e is null) return null;
            if (e.Value.Data.GetProperty("action").GetString() == action) return e;
        }
        return null;
    }

    /// <summary>Whether the server closed the stream within the timeout.</summary>
    public async Task<bool> EndsAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is not null) { }
            return true;
        }
        catch (OperationCanceledException) { return false; }
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}

/// <summary>A test that only means something on PostgreSQL: reported as skipped on SQLite rather than passing without checking anything.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.IsPostgres) Skip = "PostgreSQL only: one SQLite file has one process, whose in-process bus the other tests cover.";
    }
}

public sealed class GroupEventsKeepAliveTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Live:KeepAliveSeconds"] = "1" };

    [Fact]
    public async Task AnIdleStream_GetsACommentLine_AtTheConfiguredInterval()
    {
        var a = await App.RegisterAndSignInAsync();
        var group = await a.CreateGroupAsync();
        var res = await a.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/groups/{group.Id}/events"), HttpCompletionOption.ResponseHeadersRead);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        res.Headers.CacheControl!.NoCache.ShouldBeTrue();
        using var reader = new StreamReader(await res.Content.ReadAsStreamAsync());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var comments = 0;
        while (comments < 2 && await reader.ReadLineAsync(cts.Token) is { } line)
            if (line.StartsWith(": keep-alive", StringComparison.Ordinal)) comments++;
        comments.ShouldBe(2);
    }
}

public sealed class GroupEventsTests : ApiTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(2);

    private async Task WaitForBusAsync(PayTrackApp app)
    {
        if (app.Services.GetRequiredService<ILiveBus>() is PostgresLiveBus pg) await pg.Listening.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnExpense_ReachesEveryOpenStreamOfTheGroup_WithinTwoSeconds()
    {
        var a = await App.RegisterAndSignInAsync();
        var b = await App.RegisterAndSignInAsync();
        var group = await a.CreateGroupAsync();
        await a.JoinAsync(group.Id, b);
        var other = await a.CreateGroupAsync("Other");
        await WaitForBusAsync(App);
        using var streamB = await SseReader.OpenAsync(b.Client, $"/api/v1/groups/{group.Id}/events");
        using var streamA = await SseReader.OpenAsync(a.Client, $"/api/v1/groups/{group.Id}/events");
        using var otherStream = await SseReader.OpenAsync(a.Client, $"/api/v1/groups/{other.Id}/events");

        var clock = Stopwatch.StartNew();
        var expense = await a.AddExpenseAsync(group.Id, new { description = "Taxi", amount = "12", date = "2026-03-01", split = GroupSteps.Equal(a, b) });
        foreach (var stream in new[] { streamB, streamA })
        {
            var e = (await stream.UntilAsync("expense.created", Within - clock.Elapsed + TimeSpan.FromMilliseconds(50))).ShouldNotBeNull("no group.changed within 2 s");
            e.Event.ShouldBe("group.changed");
            e.Data.GetProperty("action").GetString().ShouldBe("expense.created");
            e.Data.GetProperty("entityId").GetGuid().ShouldBe(expense.Id);
            e.Data.GetProperty("at").GetDateTime().ShouldBeGreaterThan(DateTime.UtcNow.AddMinutes(-1));
        }
        clock.Elapsed.ShouldBeLessThan(Within);
        (await otherStream.UntilAsync("expense.created", TimeSpan.FromMilliseconds(500))).ShouldBeNull();

        await (await PayTrackApp.PostIdempotentAsync(b.Client, $"/api/v1/groups/{group.Id}/settlements", new { toUserId = a.Id, amount = "6", method = "cash" }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        (await streamB.UntilAsync("settlement.created", Within)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Stream_Is404ForNonMembers_AndEndsWhenTheMemberIsRemoved()
    {
        var a = await App.RegisterAndSignInAsync();
        var b = await App.RegisterAndSignInAsync();
        var stranger = await App.RegisterAndSignInAsync();
        var group = await a.CreateGroupAsync();
        await a.JoinAsync(group.Id, b);
        await WaitForBusAsync(App);
        await (await stranger.Client.GetAsync($"/api/v1/groups/{group.Id}/events")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await App.Anonymous().GetAsync($"/api/v1/groups/{group.Id}/events")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        using var streamB = await SseReader.OpenAsync(b.Client, $"/api/v1/groups/{group.Id}/events");
        await (await a.Client.DeleteAsync($"/api/v1/groups/{group.Id}/members/{b.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        (await streamB.EndsAsync(TimeSpan.FromSeconds(5))).ShouldBeTrue("the removed member's stream stays open");
    }

    [PostgresFact]
    public async Task OnPostgres_AChangeOnOneInstance_ReachesAStreamOnAnother()
    {
        // The second instance delivers no outbox messages itself: what reaches its stream came through NOTIFY from the first.
        await using var second = new PayTrackApp(App.Database, new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" }, ownsDatabase: false);
        _ = second.Server;
        await WaitForBusAsync(App);
        await WaitForBusAsync(second);
        var a = await App.RegisterAndSignInAsync();
        var b = await App.RegisterAndSignInAsync();
        var group = await a.CreateGroupAsync();
        await a.JoinAsync(group.Id, b);
        var bOnSecond = second.Authorized((await second.SignInAsync(b.Email, b.Password)).AccessToken);
        using var stream = await SseReader.OpenAsync(bOnSecond, $"/api/v1/groups/{group.Id}/events");

        var clock = Stopwatch.StartNew();
        var expense = await a.AddExpenseAsync(group.Id, new { description = "Museum", amount = "30", date = "2026-03-01", split = GroupSteps.Equal(a, b) });
        var e = (await stream.UntilAsync("expense.created", Within)).ShouldNotBeNull("no group.changed on the other instance within 2 s");
        clock.Elapsed.ShouldBeLessThan(Within);
        e.Data.GetProperty("entityId").GetGuid().ShouldBe(expense.Id);
    }
}
