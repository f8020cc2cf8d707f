using System.Security.Cryptography;
using System.Text;
using PayTrack.Data;

namespace PayTrack.Infrastructure.Outbox;

/// <summary>
/// Outbox rows a handler writes while it handles a message: one event fans out into one e-mail per
/// recipient or one delivery per webhook, each retried (and dead) on its own. The row's id is derived
/// from the parent message's id, so a parent delivered twice writes each follow-up once.
/// </summary>
public static class OutboxFollowUps
{
    /// <summary>Inserts a pending row for handler <paramref name="handler"/> in the caller's transaction, unless one with this id exists.</summary>
    public static Task<int> AddAsync(Sql sql, Guid id, string handler, string type, Guid? userId, string entityType, Guid entityId, string data, DateTime now, CancellationToken ct) =>
        sql.ExecAsync(
            "INSERT INTO outbox_messages (id, handler, type, user_id, entity_type, entity_id, data, created_at, status, attempts, next_attempt_at) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, 'pending', 0, @p7) ON CONFLICT (id) DO NOTHING",
            [id, handler, type, userId, entityType, entityId, data, now], ct);

    /// <summary>
    /// A follow-up as a row of <see cref="DomainEvents.Outbox"/>, for many inserted at once
    /// (<see cref="Sql.InsertManyIgnoringConflictsAsync"/>). A row recording an attempt already made elsewhere
    /// starts at <paramref name="attempts"/> and waits until <paramref name="nextAttemptAt"/>.
    /// </summary>
    public static object?[] Row(Guid id, string handler, string type, Guid? userId, string entityType, Guid entityId, string data, DateTime now,
        int attempts = 0, DateTime? nextAttemptAt = null) =>
        [id, handler, type, userId, entityType, entityId, data, now, OutboxStatus.Pending, attempts, nextAttemptAt ?? now];

    /// <summary>Outbox rows written already claimed by a dispatcher round (<see cref="OutboxRound"/>).</summary>
    public static readonly RowTable ClaimedTable = new("outbox_messages",
        ("id", "uuid"), ("handler", "text"), ("type", "text"), ("user_id", "uuid"), ("entity_type", "text"), ("entity_id", "uuid"),
        ("data", "text"), ("created_at", "timestamptz"), ("status", "text"), ("attempts", "integer"), ("next_attempt_at", "timestamptz"),
        ("lock_token", "uuid"), ("locked_until", "timestamptz"));

    /// <summary>
    /// A follow-up as a row of <see cref="ClaimedTable"/>: claimed by <paramref name="round"/> (its first attempt is
    /// the round's), with the message the round delivers.
    /// </summary>
    public static (object?[] Row, OutboxMessage Message) Claimed(OutboxRound round, Guid id, string handler, string type, Guid? userId, string entityType, Guid entityId, string data, DateTime now) =>
        ([id, handler, type, userId, entityType, entityId, data, now, OutboxStatus.Pending, 1, now, round.Token, round.LeaseUntil],
         new OutboxMessage
         {
             Id = id, Handler = handler, Type = type, UserId = userId, EntityType = entityType, EntityId = entityId, Data = data, CreatedAt = now,
             Status = OutboxStatus.Pending, Attempts = 1, NextAttemptAt = now, LockToken = round.Token, LockedUntil = round.LeaseUntil,
         });

    /// <summary>A stable id for the follow-up <paramref name="name"/> of <paramref name="parent"/>; it keeps the parent's time prefix (ids stay roughly time-ordered).</summary>
    public static Guid DerivedId(Guid parent, string name)
    {
        var p = parent.ToByteArray(bigEndian: true);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(parent.ToString("N") + "|" + name));
        var b = new byte[16];
        p.AsSpan(0, 6).CopyTo(b);
        hash.AsSpan(6, 10).CopyTo(b.AsSpan(6));
        b[6] = (byte)(0x80 | (b[6] & 0x0F)); // version 8: custom
        b[8] = (byte)(0x80 | (b[8] & 0x3F)); // RFC 9562 variant
        return new Guid(b, bigEndian: true);
    }
}
