using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Email;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Notifications;

/// <summary>
/// The one place a notification is written, inside the transaction of the outbox handler that produced
/// it: the in-app row (if that kind is on in the app) and the queued e-mail (if it is on for e-mail),
/// both keyed by the source message, so a redelivered message writes nothing twice. Anything else that
/// should react to a new notification (the live bell) hooks in at <see cref="AddAsync"/>'s answer.
/// </summary>
public sealed class Notifier(PayTrackDb db, Sql sql, EmailTemplates templates, TimeProvider clock)
{
    /// <summary>Writes <paramref name="draft"/>; answers the in-app notification's id when one was written.</summary>
    public async Task<Guid?> AddAsync(NotificationDraft draft, Guid sourceId, CancellationToken ct)
    {
        var settings = await NotificationSettings.LoadAsync(db, draft.UserId, ct);
        var content = draft.Content(new NotificationFormat(settings.Culture, settings.Zone));
        var now = clock.GetUtcNow().UtcDateTime;
        Guid? written = null;
        if (settings.InAppOn(draft.Kind))
        {
            // Derived from the cause's outbox id: its time prefix orders notifications by their causes, not by delivery.
            var id = OutboxFollowUps.DerivedId(sourceId, $"notification|{draft.UserId:N}|{draft.Kind}");
            var inserted = await sql.ExecAsync(
                "INSERT INTO notifications (id, user_id, kind, title, body, link, created_at, read_at, source_id) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, NULL, @p7) ON CONFLICT DO NOTHING",
                [id, draft.UserId, draft.Kind, content.Title, content.Body, draft.Link, now, sourceId], ct);
            if (inserted == 1) written = id;
        }
        if (settings.EmailOn(draft.Kind))
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == draft.UserId).Select(u => new { u.Email, u.DisplayName, u.Status }).FirstOrDefaultAsync(ct);
            if (user is not null && user.Status != Domain.UserStatus.Closed)
            {
                var email = templates.Render(draft, content, user.Email, user.DisplayName);
                await OutboxFollowUps.AddAsync(sql, OutboxFollowUps.DerivedId(sourceId, $"email|{draft.UserId:N}|{draft.Kind}"), EmailOutboxHandler.HandlerName,
                    "email." + draft.Kind, draft.UserId, "notification", sourceId, EmailOutboxHandler.Serialize(email), now, ct);
            }
        }
        return written;
    }
}
