using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure.Email;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Notifications;

/// <summary>
/// Telling the invited address about a group invite (kind <c>group.invite</c>). The invite's accept link holds a
/// secret token, so it does not travel as a domain event (those are copied into the audit log and to other
/// handlers): the use case writes one outbox row for the notifications handler alone, in the invite's
/// transaction, with the link sealed by ASP.NET Core Data Protection. After commit the handler opens it and
/// queues the e-mail (the link in clear only in that e-mail's outbox row and the e-mail itself); an existing
/// user also gets an in-app notification whose link carries no token. See ADR 0044.
/// </summary>
public static class GroupInviteNotice
{
    /// <summary>
    /// The outbox message type, written straight for the notifications handler: never a domain event (so not in
    /// its <c>Handles</c> list), never audited, never given to live updates or webhooks.
    /// </summary>
    public const string Type = "group.invite.created";
    private const string Purpose = "PayTrack.GroupInvites.AcceptLink.v1";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Queues the notice of <paramref name="invite"/>, saved by the caller's next SaveChanges (the invite's transaction).</summary>
    public static void Record(PayTrackDb db, DomainEvents events, IDataProtectionProvider protection, TimeProvider clock, GroupInvite invite, string acceptUrl)
    {
        if (!events.HasHandler(NotificationsHandler.HandlerName)) return; // notifications are off (Notifications:Enabled=false)
        var now = clock.GetUtcNow().UtcDateTime;
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = Guid.CreateVersion7(), Handler = NotificationsHandler.HandlerName, Type = Type, UserId = null, EntityType = "invite", EntityId = invite.Id,
            Data = JsonSerializer.Serialize(new { inviteId = invite.Id, link = protection.CreateProtector(Purpose).Protect(acceptUrl) }, Json),
            CreatedAt = now, Status = OutboxStatus.Pending, NextAttemptAt = now,
        });
    }

    /// <summary>
    /// In the notifications handler's transaction: for an existing user, a draft (in-app and e-mail, by their
    /// preferences); for an address without an account, the e-mail queued here. An invite already used, expired
    /// or of a deleted group is not told any more.
    /// </summary>
    public static async Task<List<NotificationDraft>> DraftsAsync(IServiceProvider services, OutboxMessage m, JsonElement data, CancellationToken ct)
    {
        var db = services.GetRequiredService<PayTrackDb>();
        var inviteId = data.GetProperty("inviteId").GetGuid();
        var invite = await (from i in db.GroupInvites.AsNoTracking()
                            join g in db.Groups.AsNoTracking() on i.GroupId equals g.Id
                            join u in db.Users.AsNoTracking() on i.InvitedBy equals u.Id
                            where i.Id == inviteId && g.DeletedAt == null && i.AcceptedAt == null
                            select new { i.Email, i.NormalizedEmail, i.Role, i.ExpiresAt, Group = g.Name, InvitedBy = u.DisplayName }).FirstOrDefaultAsync(ct);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        if (invite is null || invite.ExpiresAt <= now) return [];
        var acceptUrl = services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(data.GetProperty("link").GetString()!);
        var (group, by, role, expires, email) = (invite.Group, invite.InvitedBy, invite.Role, invite.ExpiresAt, invite.Email);
        NotificationContent Content(NotificationFormat f) => new(
            $"{by} invited you to {group}",
            $"{by} invited you to share expenses in “{group}” on PayTrack as {role}. Join with the invitation link sent to {email}: it works once, until {f.Moment(expires)}.",
            [("Group", group), ("Invited by", by), ("Role", role), ("Valid until", f.Moment(expires))]);

        var userId = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == invite.NormalizedEmail).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        if (userId is { } user)
            return [new NotificationDraft(user, NotificationKinds.GroupInvite, $"/invites/received/{inviteId}", Content, EmailLink: acceptUrl)];

        // No account yet: no preferences to ask and nothing to unsubscribe from; formatted the default way.
        var mail = EmailTemplates.RenderWithoutAccount(Content(Defaults()), email, acceptUrl);
        await OutboxFollowUps.AddAsync(services.GetRequiredService<Sql>(), OutboxFollowUps.DerivedId(m.SourceId, $"email|{Register.NormalizeEmail(email)}|{NotificationKinds.GroupInvite}"),
            EmailOutboxHandler.HandlerName, "email." + NotificationKinds.GroupInvite, null, "notification", m.SourceId, EmailOutboxHandler.Serialize(mail), now, ct);
        return [];
    }

    private static NotificationFormat Defaults()
    {
        var settings = NotificationSettings.From(null);
        return new NotificationFormat(settings.Culture, settings.Zone);
    }
}
