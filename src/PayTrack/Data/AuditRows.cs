using System.Text.Json;

namespace PayTrack.Data;

/// <summary>How an audit event is written: its table for set-based inserts, its single-row insert and its data text.</summary>
public static class AuditRows
{
    private static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web);

    public static readonly RowTable Table = new("audit_events",
        ("at", "timestamptz"), ("actor_id", "uuid"), ("user_id", "uuid"), ("event", "text"), ("entity_type", "text"), ("entity_id", "uuid"), ("data", "text"));

    /// <summary>For a <see cref="StatementBatch"/>: values {0}..{6} are at, actor, user, event, entity type, entity id, data.</summary>
    public const string Insert = "INSERT INTO audit_events (at, actor_id, user_id, event, entity_type, entity_id, data) VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6})";

    /// <summary>The stored text of an event's data.</summary>
    public static string DataText(object data) => JsonSerializer.Serialize(data, DataJson);
}
