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
public sealed class WebhooksHandler(IServiceScopeFactory scopes, TimeProvider clock) : IOutboxHandler
{
    public const string HandlerName = "webhooks";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => HandlerName;
    public bool Handles(string eventType) => WebhookEventTypes.IsKnown(eventType);

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var sql = scope.ServiceProvider.GetRequiredService<Sql>();
        var audience = await AudienceAsync(db, message, ct);
        if (audience.Count == 0) return;
        var hooks = (await db.Webhooks.AsNoTracking().Where(w => audience.Contains(w.UserId) && w.Status == "active").Select(w => new { w.Id, w.UserId, w.Events }).ToListAsync(ct))
            .Where(w => WebhookEventTypes.Matches(w.Events, message.Type)).ToList();
        if (hooks.Count == 0) return;
        var data = JsonNode.Parse(message.Data) as JsonObject ?? [];
        data.Insert(0, "id", message.EntityId);
        var body = new JsonObject { ["type"] = message.Type, ["timestamp"] = message.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), ["data"] = data }
            .ToJsonString(Json);
        var now = clock.GetUtcNow().UtcDateTime;
        await Sql.InTransactionAsync(db, async c =>
        {
            foreach (var hook in hooks)
                await OutboxFollowUps.AddAsync(sql, OutboxFollowUps.DerivedId(message.Id, $"webhook|{hook.Id:N}"), WebhookDeliveryHandler.HandlerName,
                    message.Type, hook.UserId, "webhook", hook.Id, body, now, c);
            return hooks.Count;
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
public sealed class WebhookDeliveryHandler(IServiceScopeFactory scopes, WebhookSender sender, WebhookOptions options, TimeProvider clock) : IOutboxHandler, IOutboxRetryPolicy
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var hook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == message.EntityId, ct);
        if (hook is null || hook.Status != "active") return; // deleted or disabled since: nothing to send

        var attempt = await sender.SendAsync(hook.Url, hook.Secret, WebhookId(message.Id), message.Data, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var gone = attempt.StatusCode == 410;
        var retry = !attempt.Succeeded && !gone && message.Attempts < MaxAttempts;
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            Id = Guid.CreateVersion7(), WebhookId = hook.Id, MessageId = message.Id, EventType = message.Type, Attempt = message.Attempts,
            StatusCode = attempt.StatusCode, DurationMs = attempt.DurationMs, Error = attempt.Error,
            NextAttemptAt = retry ? now + RetryDelay(message.Attempts) : null, CreatedAt = now,
        });
        if (gone)
            await db.Webhooks.Where(w => w.Id == hook.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, "disabled")
                .SetProperty(w => w.DisabledReason, "The receiver answered 410 Gone."), ct);
        await db.SaveChangesAsync(ct);
        if (!attempt.Succeeded && !gone) throw new WebhookDeliveryFailedException(attempt.Error ?? "failed");
    }
}

/// <summary>An attempt that did not reach a 2xx (or 410) answer: the outbox retries it.</summary>
public sealed class WebhookDeliveryFailedException(string message) : Exception(message);
