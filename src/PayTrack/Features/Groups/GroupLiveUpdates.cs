using System.Text.Json;
using PayTrack.Data;
using PayTrack.Infrastructure.Live;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Groups;

/// <summary>
/// After a group change commits, tells every open stream of that group (topic <c>group:{id}</c>) with a
/// <c>group.changed</c> event: <c>{ action, entityId, at }</c>. Pages re-read what they show.
/// </summary>
public sealed class GroupLiveUpdates(ILiveBus bus) : IOutboxHandler
{
    public const string EventName = "group.changed";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => "live.groups";

    public bool Handles(string eventType) => eventType.StartsWith("group.", StringComparison.Ordinal);

    public static string Topic(Guid groupId) => "group:" + groupId;

    public Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(message.Data);
        var root = doc.RootElement;
        // Another feature's group.* event without a group id has no stream to tell.
        if (!root.TryGetProperty("groupId", out var group) || !group.TryGetGuid(out var groupId)) return Task.CompletedTask;
        var data = JsonSerializer.Serialize(new
        {
            action = root.TryGetProperty("action", out var action) ? action.GetString() : message.Type["group.".Length..],
            entityId = message.EntityId,
            at = root.TryGetProperty("at", out var at) ? at.GetDateTime() : message.CreatedAt,
        }, Json);
        return bus.PublishAsync(new LiveMessage(Topic(groupId), EventName, data), ct);
    }
}
