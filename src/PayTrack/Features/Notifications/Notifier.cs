using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Email;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Notifications;

/// <summary>
/// The one place notifications are written, inside the transaction of the outbox handler that produced
/// them: the in-app rows (for kinds on in the app) and the queued e-mails (for kinds on for e-mail),
/// each keyed by its source message, so a redelivered message writes nothing twice. A dispatcher
/// round's notifications are written together: one read of the recipients' settings and addresses,
/// one insert of the in-app rows and one of the e-mails, whatever their number. Anything else that
/// should react to a new notification (the live bell) hooks in at <see cref="AddManyAsync"/>'s answer.
/// </summary>
public sealed class Notifier(PayTrackDb db, Sql sql, EmailTemplates templates, TimeProvider clock)
{
    public static readonly RowTable Table = new("notifications",
        ("id", "uuid"), ("user_id", "uuid"), ("kind", "text"), ("title", "text"), ("body", "text"), ("link", "text"),
        ("created_at", "timestamptz"), ("source_id", "uuid"));

    /// <summary>An in-app notification that was written (not one a redelivery had written before).</summary>
    public sealed record Written(Guid UserId, Guid Id, string Kind, DateTime At);

    /// <summary>What <see cref="AddManyAsync"/> wrote: the new in-app notifications, and the e-mails the current round claimed.</summary>
    public sealed record Added(List<Written> InApp, List<OutboxMessage> ClaimedEmails);

    /// <summary>
    /// Writes every draft (each with the outbox message it came from). Inside a dispatcher round the e-mails are
    /// written claimed by it: after the caller's transaction commits, hand <see cref="Added.ClaimedEmails"/> to
    /// <see cref="OutboxRound.DeliverAlso"/> and they go out in the same round.
    /// </summary>
    public async Task<Added> AddManyAsync(IReadOnlyList<(NotificationDraft Draft, Guid SourceId)> drafts, CancellationToken ct)
    {
        var written = new List<Written>();
        if (drafts.Count == 0) return new Added(written, []);
        var round = OutboxRound.Current;
        var claimed = new List<OutboxMessage>();
        var userIds = drafts.Select(d => d.Draft.UserId).Distinct().ToList();
        var preferences = await db.NotificationPreferences.AsNoTracking().Where(p => userIds.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, ct);
        var settings = userIds.ToDictionary(u => u, u => NotificationSettings.From(preferences.GetValueOrDefault(u)));
        var emailTo = userIds.Where(u => drafts.Any(d => d.Draft.UserId == u && settings[u].EmailOn(d.Draft.Kind))).ToList();
        var addresses = emailTo.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => emailTo.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Status }).ToDictionaryAsync(u => u.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var inApp = new List<object?[]>();
        var emails = new List<object?[]>();
        var wanted = new List<Written>();
        foreach (var (draft, sourceId) in drafts)
        {
            var s = settings[draft.UserId];
            var content = draft.Content(new NotificationFormat(s.Culture, s.Zone));
            if (s.InAppOn(draft.Kind))
            {
                // Derived from the cause's outbox id: its time prefix orders notifications by their causes, not by delivery.
                var id = OutboxFollowUps.DerivedId(sourceId, $"notification|{draft.UserId:N}|{draft.Kind}");
                inApp.Add([id, draft.UserId, draft.Kind, content.Title, content.Body, draft.Link, now, sourceId]);
                wanted.Add(new Written(draft.UserId, id, draft.Kind, now));
            }
            if (s.EmailOn(draft.Kind) && addresses.TryGetValue(draft.UserId, out var user) && user.Status != Domain.UserStatus.Closed)
            {
                var email = EmailOutboxHandler.Serialize(templates.Render(draft, content, user.Email, user.DisplayName));
                var emailId = OutboxFollowUps.DerivedId(sourceId, $"email|{draft.UserId:N}|{draft.Kind}");
                if (round is null)
                    emails.Add(OutboxFollowUps.Row(emailId, EmailOutboxHandler.HandlerName, "email." + draft.Kind, draft.UserId, "notification", sourceId, email, now));
                else
                {
                    var (row, message) = OutboxFollowUps.Claimed(round, emailId, EmailOutboxHandler.HandlerName, "email." + draft.Kind, draft.UserId, "notification", sourceId, email, now);
                    emails.Add(row);
                    claimed.Add(message);
                }
            }
        }
        var inserted = await sql.InsertManyIgnoringConflictsAsync(Table, inApp, ct);
        written.AddRange(wanted.Where(w => inserted.Contains(w.Id)));
        var queued = await sql.InsertManyIgnoringConflictsAsync(round is null ? DomainEvents.Outbox : OutboxFollowUps.ClaimedTable, emails, ct);
        // An e-mail written before (its event handled again) is not this round's: it is delivered, or waits, on its own.
        return new Added(written, claimed.Where(m => queued.Contains(m.Id)).ToList());
    }
}
