using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Data;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

/// <summary>A handler that records every delivery and fails while <see cref="Failing"/> says so.</summary>
public sealed class RecordingHandler(string name, params string[] types) : IOutboxHandler
{
    public ConcurrentDictionary<Guid, int> Delivered { get; } = new();
    public ConcurrentQueue<OutboxMessage> Messages { get; } = new();
    public int Calls => _calls;
    private int _calls;
    /// <summary>Answers whether this attempt of the message fails.</summary>
    public Func<OutboxMessage, bool> Failing { get; set; } = _ => false;

    public string Name => name;
    public bool Handles(string eventType) => types.Contains(eventType) || types.Contains("*");

    public Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        if (Failing(message)) throw new InvalidOperationException($"receiver down (attempt {message.Attempts})");
        Delivered.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        Messages.Enqueue(message);
        return Task.CompletedTask;
    }
}

public sealed class OutboxTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly List<PayTrackApp> _apps = [];

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Outbox:PollIntervalMs"] = "50", ["Outbox:RetryBaseMs"] = "50", ["Outbox:MaxRetryDelaySeconds"] = "1", ["RateLimits:Enabled"] = "false",
        // The outbox itself, with only the test's handler: the app's own handlers (notifications, webhooks) are off.
        ["Notifications:Enabled"] = "false", ["Webhooks:Enabled"] = "false",
    };

    private PayTrackApp Start(RecordingHandler handler, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(Fast);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = new PayTrackApp(_database, settings, services: s => s.AddSingleton<IOutboxHandler>(handler), ownsDatabase: false);
        _apps.Add(app);
        _ = app.Server;
        return app;
    }

    private static async Task<List<OutboxMessage>> RowsAsync(TestDatabase db)
    {
        await using var ctx = db.OpenContext();
        return await ctx.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>Records <paramref name="count"/> events through the app's own recorder, one transaction each.</summary>
    private static async Task<List<Guid>> RecordAsync(PayTrackApp app, int count, string type = "test.happened")
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
            var id = Guid.CreateVersion7();
            scope.ServiceProvider.GetRequiredService<DomainEvents>().AddTo(db, new DomainEvent(type, null, null, "test", id, new { n = i }));
            await db.SaveChangesAsync();
            ids.Add(id);
        }
        return ids;
    }

    [Fact]
    public async Task ADepositsEvents_AreRecordedWithItsChange_AndDeliveredOnceEach()
    {
        var handler = new RecordingHandler("test", "deposit.succeeded", "deposit.created");
        var app = Start(handler);
        var me = await app.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(me);
        await app.FundAsync(me.Id, wallet.Id, "25.00");

        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).Count(r => r.Status == OutboxStatus.Done) == 2);
        var rows = await RowsAsync(_database);
        rows.Select(r => r.Type).Order().ShouldBe(["deposit.created", "deposit.succeeded"]);
        rows.ShouldAllBe(r => r.Handler == "test" && r.UserId == me.Id && r.Attempts == 1 && r.DeliveredAt != null);
        handler.Delivered.Values.ShouldAllBe(n => n == 1);
        handler.Messages.Single(m => m.Type == "deposit.succeeded").Data.ShouldContain("\"amount\":\"25.00\"");
        // The audit event comes from the same call, under the audit log's own name.
        await using var ctx = _database.OpenContext();
        (await ctx.AuditEvents.CountAsync(a => a.Event == "deposit.success" && a.UserId == me.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task TransferEvents_FromEveryPath_AreRecordedOnce_WhenAHandlerTakesThem()
    {
        var handler = new RecordingHandler("test", "transfer.succeeded", "transfer.failed", "transfer.held", "transfer.voided");
        var app = Start(handler);
        var ann = await app.RegisterAndSignInAsync();
        var bob = await app.RegisterAndSignInAsync();
        var from = await PayTrackApp.MainWalletAsync(ann);
        var to = await PayTrackApp.MainWalletAsync(bob);
        await app.FundAsync(ann.Id, from.Id, "50.00");

        // A single transfer (on PostgreSQL the one-call function writes its outbox rows), a refusal,
        // a hold and its capture, a batch item.
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = from.Id, toAccountId = to.Id, amount = "10.00" })).ShouldHaveStatusAsync(HttpStatusCode.Created);
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = from.Id, toAccountId = to.Id, amount = "999.00" })).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");
        var hold = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = from.Id, toAccountId = to.Id, amount = "5.00", hold = true });
        var holdId = (await hold.Content.ReadFromJsonAsync<TransferDto>())!.Id;
        await (await ann.Client.PostAsync($"/api/v1/transfers/{holdId}/capture", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers/batch", new { transfers = new[] { new { fromAccountId = from.Id, toAccountId = to.Id, amount = "1.00" } } })).ShouldHaveStatusAsync(HttpStatusCode.OK);

        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).Count(r => r.Status == OutboxStatus.Done) == 5);
        handler.Messages.Select(m => m.Type).Order().ShouldBe(["transfer.failed", "transfer.held", "transfer.succeeded", "transfer.succeeded", "transfer.succeeded"]);
        handler.Delivered.Values.ShouldAllBe(n => n == 1);
        (await PayTrackApp.MainWalletAsync(bob)).Balance.ShouldBe("16.00");
        await LedgerInvariants.AssertHoldAsync(_database);
    }

    [Fact]
    public async Task ExpenseEvents_AreRecordedByEachUseCase_WithTheOwnerAndTheAmount()
    {
        var handler = new RecordingHandler("test", "expense.created", "expense.updated", "expense.deleted");
        var app = Start(handler);
        var me = await app.RegisterAndSignInAsync(currency: "EUR");
        var e = await me.Client.CreateExpenseAsync(new { amount = "12.30", date = "2026-03-01", payee = "Bakery" });
        await (await me.Client.PutAsJsonAsync($"/api/v1/expenses/{e.Id}", new { amount = "12.40", date = "2026-03-01", payee = "Bakery" })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var other = await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-03-02" });
        await (await me.Client.PostAsJsonAsync("/api/v1/expenses/delete", new { ids = new[] { other.Id } })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await me.Client.DeleteAsync($"/api/v1/expenses/{e.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).Count(r => r.Status == OutboxStatus.Done) == 5);
        handler.Messages.Select(m => (m.Type, m.EntityId)).Order().ShouldBe(new[]
        {
            ("expense.created", e.Id), ("expense.created", other.Id), ("expense.deleted", e.Id), ("expense.deleted", other.Id), ("expense.updated", e.Id),
        }.Order());
        handler.Messages.ShouldAllBe(m => m.UserId == me.Id);
        handler.Messages.Single(m => m.Type == "expense.updated").Data.ShouldContain("\"amount\":\"12.40\"");
    }

    [Fact]
    public async Task AnImport_RecordsOneEvent_WithItsCountsDatesAndCurrencies_AndARefusedImportNone()
    {
        var handler = new RecordingHandler("test", "expenses.imported", "expense.created");
        var app = Start(handler);
        var me = await app.RegisterAndSignInAsync(currency: "EUR");
        static MultipartFormDataContent File(string csv) => new() { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "s.csv" } };
        const string Csv = "date,amount,payee\n2026-01-02,-3.50,Bakery\n2026-01-05,-10.00,Books\n2026-01-06,1200.00,Salary\n";
        await (await me.Client.PostAsync("/api/v1/imports", File(Csv))).ShouldHaveStatusAsync(HttpStatusCode.OK);
        // The same file again imports nothing, and so records nothing; a file with a bad row stores nothing either.
        await (await me.Client.PostAsync("/api/v1/imports", File(Csv))).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await me.Client.PostAsync("/api/v1/imports", File("date,amount,payee\n2026-02-01,-1.00,A\nnot a date,-2.00,B\n"))).ShouldHaveStatusAsync(HttpStatusCode.OK);

        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).Count(r => r.Status == OutboxStatus.Done) == 1);
        await Task.Delay(300);
        var message = handler.Messages.ShouldHaveSingleItem();
        message.Type.ShouldBe("expenses.imported");
        message.UserId.ShouldBe(me.Id);
        message.Data.ShouldContain("\"imported\":2");
        message.Data.ShouldContain("\"incoming\":1");
        message.Data.ShouldContain("\"from\":\"2026-01-02\"");
        message.Data.ShouldContain("\"to\":\"2026-01-06\"");
        message.Data.ShouldContain("\"currencies\":[\"EUR\"]");
    }

    [Fact]
    public async Task AnEventNoHandlerTakes_WritesOnlyTheAuditEvent()
    {
        var app = Start(new RecordingHandler("test", "something.else"));
        var me = await app.RegisterAndSignInAsync();
        await app.FundAsync(me.Id, (await PayTrackApp.MainWalletAsync(me)).Id, "5.00");
        (await RowsAsync(_database)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AFailingHandler_IsRetriedWithBackoff_ThenDeliveredOnce()
    {
        var handler = new RecordingHandler("test", "test.happened") { Failing = m => m.Attempts < 3 };
        var app = Start(handler);
        var ids = await RecordAsync(app, 1);

        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).Single().Status == OutboxStatus.Done);
        var row = (await RowsAsync(_database)).Single();
        row.EntityId.ShouldBe(ids[0]);
        row.Attempts.ShouldBe(3);
        handler.Calls.ShouldBe(3);
        handler.Delivered.Single().Value.ShouldBe(1);
        row.LastError.ShouldBeNull();
    }

    [Fact]
    public async Task AnEventForTwoHandlers_IsOneRow_AndOnlyTheHandlerThatFailed_IsRetried_OnARowOfItsOwn()
    {
        var steady = new RecordingHandler("steady", "test.happened");
        var flaky = new RecordingHandler("flaky", "test.happened") { Failing = m => m.Attempts < 2 };
        var app = new PayTrackApp(_database, new Dictionary<string, string?>(Fast) { ["Outbox:Enabled"] = "false" },
            services: s => { s.AddSingleton<IOutboxHandler>(steady); s.AddSingleton<IOutboxHandler>(flaky); }, ownsDatabase: false);
        _apps.Add(app);
        var ids = await RecordAsync(app, 1);
        var evt = (await RowsAsync(_database)).ShouldHaveSingleItem();
        evt.Handler.ShouldBe(OutboxMessage.EveryHandler);

        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(1);
        var rows = await RowsAsync(_database);
        rows.Count.ShouldBe(2);
        rows.Single(r => r.Id == evt.Id).Status.ShouldBe(OutboxStatus.Done);
        var split = rows.Single(r => r.Id != evt.Id);
        (split.Handler, split.Status, split.Attempts, split.EventId, split.SourceId, split.EntityId, split.CreatedAt)
            .ShouldBe(("flaky", OutboxStatus.Pending, 1, (Guid?)evt.Id, evt.Id, ids[0], evt.CreatedAt));
        split.LastError!.ShouldContain("receiver down");
        steady.Delivered.ShouldHaveSingleItem().Key.ShouldBe(evt.Id);

        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(0, "the retry waits for its backoff");
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(1);
        (await RowsAsync(_database)).ShouldAllBe(r => r.Status == OutboxStatus.Done);
        steady.Calls.ShouldBe(1);
        flaky.Calls.ShouldBe(2);
        flaky.Messages.ShouldHaveSingleItem().SourceId.ShouldBe(evt.Id);
    }

    [Fact]
    public async Task AfterTheLastAttempt_TheMessageIsDead_ListedForAdmins_AndCanBeRetried()
    {
        var handler = new RecordingHandler("test", "test.happened") { Failing = _ => true };
        var app = Start(handler, new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "3" });
        var admin = await app.RegisterAndSignInAsync();
        var user = await app.RegisterAndSignInAsync();
        await RecordAsync(app, 1);

        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).Single().Status == OutboxStatus.Dead);
        var dead = (await RowsAsync(_database)).Single();
        dead.Attempts.ShouldBe(3);
        dead.LastError!.ShouldContain("receiver down");

        var page = (await admin.Client.GetFromJsonAsync<PageDto<OutboxDto>>("/api/v1/admin/outbox?status=dead"))!;
        page.Items.Single().Id.ShouldBe(dead.Id);
        (await admin.Client.GetFromJsonAsync<PageDto<OutboxDto>>("/api/v1/admin/outbox?status=done"))!.Items.ShouldBeEmpty();
        await (await admin.Client.GetAsync("/api/v1/admin/outbox?status=lost")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.GetAsync("/api/v1/admin/outbox")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostAsync($"/api/v1/admin/outbox/{dead.Id}/retry", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        handler.Failing = _ => false;
        var retry = await admin.Client.PostAsync($"/api/v1/admin/outbox/{dead.Id}/retry", null);
        await retry.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).Single().Status == OutboxStatus.Done);
        handler.Delivered[dead.Id].ShouldBe(1);
        await (await admin.Client.PostAsync($"/api/v1/admin/outbox/{dead.Id}/retry", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await admin.Client.PostAsync($"/api/v1/admin/outbox/{Guid.NewGuid()}/retry", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnEventCommittedByAnInstanceThatStopsBeforeDelivery_IsDeliveredOnceAfterRestart()
    {
        var first = new RecordingHandler("test", "test.happened");
        var app = Start(first, new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" });
        var ids = await RecordAsync(app, 3);
        await app.DisposeAsync();
        _apps.Remove(app);
        first.Calls.ShouldBe(0);
        (await RowsAsync(_database)).ShouldAllBe(r => r.Status == OutboxStatus.Pending);

        var second = new RecordingHandler("test", "test.happened");
        Start(second);
        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).All(r => r.Status == OutboxStatus.Done));
        second.Messages.Select(m => m.EntityId).Order().ShouldBe(ids.Order());
        second.Delivered.Values.ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task AClaimOfAnInstanceThatDied_IsTakenOverWhenItsLeaseEnds()
    {
        var handler = new RecordingHandler("test", "test.happened");
        var app = Start(handler, new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" });
        await RecordAsync(app, 1);
        // Another instance claimed the message (lease of 60 s) and died before finishing it.
        await using (var ctx = _database.OpenContext())
        {
            var row = await ctx.OutboxMessages.SingleAsync();
            row.LockToken = Guid.NewGuid();
            row.LockedUntil = app.Clock.GetUtcNow().UtcDateTime.AddSeconds(60);
            row.Attempts = 1;
            await ctx.SaveChangesAsync();
        }
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(0, "the lease still runs");
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(1);
        var done = (await RowsAsync(_database)).Single();
        (done.Status, done.Attempts).ShouldBe((OutboxStatus.Done, 2));
        handler.Delivered.Single().Value.ShouldBe(1);
    }

    [Fact]
    public async Task DeliveredMessages_AreDeletedAfterTheRetentionPeriod_WaitingAndDeadOnesNever()
    {
        var handler = new RecordingHandler("test", "test.happened") { Failing = m => m.EntityType == "test" && m.Data.Contains("\"n\":1", StringComparison.Ordinal) };
        var app = Start(handler, new Dictionary<string, string?> { ["Outbox:Enabled"] = "false", ["Outbox:MaxAttempts"] = "1", ["Outbox:KeepDeliveredHours"] = "24" });
        await RecordAsync(app, 3); // n = 0 and 2 are delivered, n = 1 fails once and is dead
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        (await dispatcher.DeliverDueAsync(CancellationToken.None)).ShouldBe(3);
        await RecordAsync(app, 1); // still waiting
        (await RowsAsync(_database)).Select(r => r.Status).Order().ShouldBe([OutboxStatus.Dead, OutboxStatus.Done, OutboxStatus.Done, OutboxStatus.Pending]);

        (await dispatcher.SweepDeliveredAsync(CancellationToken.None)).ShouldBe(0, "delivered only just now");
        (await RowsAsync(_database)).Count.ShouldBe(4);

        app.Clock.Advance(TimeSpan.FromHours(25));
        (await dispatcher.SweepDeliveredAsync(CancellationToken.None)).ShouldBe(2);
        (await RowsAsync(_database)).Select(r => r.Status).Order().ShouldBe([OutboxStatus.Dead, OutboxStatus.Pending]);
    }

    [Fact]
    public void TheSweepsCutoff_SortsAfterEveryIdMadeBeforeIt_AndBeforeEveryIdMadeAfter()
    {
        var before = Guid.CreateVersion7(DateTimeOffset.UtcNow.AddMinutes(-1));
        var after = Guid.CreateVersion7(DateTimeOffset.UtcNow.AddMinutes(1));
        var cutoff = OutboxDispatcher.TimePrefixedId(DateTimeOffset.UtcNow);
        string.CompareOrdinal(before.ToString().ToUpperInvariant(), cutoff.ToString().ToUpperInvariant()).ShouldBeLessThan(0);
        string.CompareOrdinal(cutoff.ToString().ToUpperInvariant(), after.ToString().ToUpperInvariant()).ShouldBeLessThan(0);
        // A follow-up keeps its parent's time prefix, so it goes with its parent.
        OutboxFollowUps.DerivedId(before, "email|x").ToString().ToUpperInvariant().ShouldStartWith(before.ToString().ToUpperInvariant()[..13]);
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_NeverDeliverOneEventTwice()
    {
        var a = new RecordingHandler("test", "test.happened");
        var b = new RecordingHandler("test", "test.happened");
        var paused = new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" };
        var writer = Start(new RecordingHandler("test", "test.happened"), paused);
        var ids = await RecordAsync(writer, 300);
        // Two delivering instances start together on the same backlog; small batches make them interleave.
        var small = new Dictionary<string, string?> { ["Outbox:BatchSize"] = "7" };
        Start(a, small);
        Start(b, small);

        await Eventually.TrueAsync(async () => (await RowsAsync(_database)).All(r => r.Status == OutboxStatus.Done), TimeSpan.FromSeconds(60));
        var delivered = a.Messages.Concat(b.Messages).Select(m => m.EntityId).ToList();
        delivered.Count.ShouldBe(300);
        delivered.Order().ShouldBe(ids.Order());
        a.Delivered.Keys.Intersect(b.Delivered.Keys).ShouldBeEmpty();
    }
}

public sealed record OutboxDto(Guid Id, string Handler, string Type, Guid? UserId, string EntityType, Guid EntityId, string Status, int Attempts, string? LastError);
