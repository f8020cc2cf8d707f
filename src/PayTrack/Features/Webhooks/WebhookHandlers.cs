using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Webhooks;

/// <summary>
/// Fans an event out to the webhooks that subscribed to it and whose owner may see it: one
/// <c>webhook-delivery</c> outbox row per webhook, written in one transaction with an id derived from
/// the event's message, so a redelivered event queues nothing twice. The body is fixed here; every
/// attempt sends the same body under the same <c>webhook-id</c>.
/// </summary>
public sealed class WebhooksHandler(IServiceScopeFactory scopes, TimeProvider clock) : IOutboxBatchHandler
{
    public const string HandlerName = "webhooks";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => HandlerName;
    public bool Handles(string eventType) => WebhookEventTypes.IsKnown(eventType);

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct) =>
        await HandleManyAsync([message], ct);

    /// <summary>A round's events in one transaction; if that fails, one by one.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> HandleBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        try
        {
            await HandleManyAsync(messages, ct);
            return new Dictionary<Guid, string>();
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            var failed = new Dictionary<Guid, string>();
            foreach (var message in messages)
            {
                try { await HandleManyAsync([message], ct); }
                catch (Exception ex) when (!ct.IsCancellationRequested) { failed[message.Id] = ex.Message; }
            }
            return failed;
        }
    }

    private async Task HandleManyAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var sql = scope.ServiceProvider.GetRequiredService<Sql>();
        var rows = new List<(Guid Id, OutboxMessage Event, Guid WebhookId, Guid Owner, string Body)>();
        foreach (var message in messages)
        {
            var audience = await AudienceAsync(db, message, ct);
            if (audience.Count == 0) continue;
            var hooks = (await db.Webhooks.AsNoTracking().Where(w => audience.Contains(w.UserId) && w.Status == "active").Select(w => new { w.Id, w.UserId, w.Events }).ToListAsync(ct))
                .Where(w => WebhookEventTypes.Matches(w.Events, message.Type)).ToList();
            if (hooks.Count == 0) continue;
            var data = JsonNode.Parse(message.Data) as JsonObject ?? [];
            data.Insert(0, "id", message.EntityId);
            var body = new JsonObject { ["type"] = message.Type, ["timestamp"] = message.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), ["data"] = data }
                .ToJsonString(Json);
            foreach (var hook in hooks) rows.Add((OutboxFollowUps.DerivedId(message.Id, $"webhook|{hook.Id:N}"), message, hook.Id, hook.UserId, body));
        }
        if (rows.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        await Sql.InTransactionAsync(db, async c =>
        {
            foreach (var r in rows)
                await OutboxFollowUps.AddAsync(sql, r.Id, WebhookDeliveryHandler.HandlerName, r.Event.Type, r.Owner, "webhook", r.WebhookId, r.Body, now, c);
            return rows.Count;
        }, ct);
    }

    /// <summary>Who may see the event: its user; for a transfer that went through, the recipient too.</summary>
    private static async Task<List<Guid>> AudienceAsync(PayTrackDb db, OutboxMessage m, CancellationToken ct)
    {
        var users = new List<Guid>();
        if (m.UserId is { } owner) users.Add(owner);
        if (m.Type == "transfer.succeeded")
        {
            using var doc = JsonDocument.Parse(m.Data);
            if (doc.RootElement.TryGetProperty("to", out var to) && to.TryGetGuid(out var toAccount)
                && await db.Accounts.AsNoTracking().Where(a => a.Id == toAccount).Select(a => a.UserId).FirstOrDefaultAsync(ct) is { } recipient
                && !users.Contains(recipient))
                users.Add(recipient);
        }
        return users;
    }
}

/// <summary>
/// Delivers one event to one webhook, retried on the Standard Webhooks schedule (<see cref="WebhookOptions.Schedule"/>);
/// each attempt is logged in <c>webhook_deliveries</c>. A 2xx answer ends it; <c>410 Gone</c> disables
/// the webhook and ends it; anything else (or no answer within the timeout) is retried, then dead.
/// </summary>
public sealed class WebhookDeliveryHandler(IServiceScopeFactory scopes, WebhookSender sender, WebhookOptions options, TimeProvider clock) : IOutboxBatchHandler, IOutboxRetryPolicy
{
    public const string HandlerName = "webhook-delivery";

    public string Name => HandlerName;
    /// <summary>Rows are written by <see cref="WebhooksHandler"/> only.</summary>
    public bool Handles(string eventType) => false;
    public int MaxAttempts => WebhookOptions.MaxAttempts;
    public TimeSpan RetryDelay(int attempts) => options.RetryDelay(attempts);

    /// <summary>The <c>webhook-id</c> of a delivery: the same on every attempt.</summary>
    public static string WebhookId(Guid deliveryId) => $"msg_{deliveryId:N}";

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        if ((await HandleBatchAsync([message], ct)).TryGetValue(message.Id, out var error)) throw new WebhookDeliveryFailedException(error);
    }

    /// <summary>Sends a round's deliveries concurrently, then logs every attempt in one save.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> HandleBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var ids = messages.Select(m => m.EntityId).Distinct().ToList();
        var hooks = await db.Webhooks.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        var failed = new Dictionary<Guid, string>();
        var outcomes = new WebhookAttempt?[messages.Count];
        using var parallel = new SemaphoreSlim(16);
        await Task.WhenAll(messages.Select(async (message, i) =>
        {
            // Deleted or disabled since: nothing to send.
            if (!hooks.TryGetValue(message.EntityId, out var hook) || hook.Status != "active") return;
            await parallel.WaitAsync(ct);
            try { outcomes[i] = await sender.SendAsync(hook.Url, hook.Secret, WebhookId(message.Id), message.Data, ct); }
            finally { parallel.Release(); }
        }));
        var now = clock.GetUtcNow().UtcDateTime;
        var gone = new HashSet<Guid>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (outcomes[i] is not { } attempt) continue;
            var message = messages[i];
            var isGone = attempt.StatusCode == 410;
            var retry = !attempt.Succeeded && !isGone && message.Attempts < MaxAttempts;
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Guid.CreateVersion7(), WebhookId = message.EntityId, MessageId = message.Id, EventType = message.Type, Attempt = message.Attempts,
                StatusCode = attempt.StatusCode, DurationMs = attempt.DurationMs, Error = attempt.Error,
                NextAttemptAt = retry ? now + RetryDelay(message.Attempts) : null, CreatedAt = now,
            });
            if (isGone) gone.Add(message.EntityId);
            else if (!attempt.Succeeded) failed[message.Id] = attempt.Error ?? "failed";
        }
        await Sql.InTransactionAsync(db, async c =>
        {
            if (gone.Count > 0)
                await db.Webhooks.Where(w => gone.Contains(w.Id)).ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, "disabled")
                    .SetProperty(w => w.DisabledReason, "The receiver answered 410 Gone."), c);
            await db.SaveChangesAsync(c);
            return 0;
        }, ct);
        return failed;
    }
}

/// <summary>An attempt that did not reach a 2xx (or 410) answer: the outbox retries it.</summary>
public sealed class WebhookDeliveryFailedException(string message) : Exception(message);
