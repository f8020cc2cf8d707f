using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Auth;
using PayTrack.Features.Notifications;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

public sealed record CreateInviteRequest(string? Email, string? Role);

/// <summary>
/// An owner invites someone by e-mail. The answer carries the link (<c>url</c>) for the owner to pass on, and the
/// same link is e-mailed to the address (<see cref="GroupInviteNotice"/>); the token in it is stored only as its
/// SHA-256, and is good for 7 days and one use.
/// </summary>
public static class CreateInvite
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static async Task<Results<Created<InviteResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, CreateInviteRequest request, HttpRequest http, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, IDataProtectionProvider protection,
        TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var v = new Validation().Require("email", request.Email, "email is required.").MaxLength("email", request.Email?.Trim(), 254);
        if (request.Email is { } e && !string.IsNullOrWhiteSpace(e) && !e.Contains('@')) v.Add("email", "email is not an e-mail address.");
        if (request.Role is not null && !GroupRoles.IsValid(request.Role)) v.Add("role", "role must be owner, approver or member.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        if (!access.IsOwner) return GroupProblems.OwnerOnly("invite people");
        // An invite to someone already in the group (the owner included) could only confuse them: refused, by e-mail.
        var normalized = Register.NormalizeEmail(request.Email!.Trim());
        if (await db.GroupMembers.AnyAsync(m => m.GroupId == id && m.LeftAt == null
                && db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized), ct))
            return GroupProblems.AlreadyMember(request.Email!.Trim());

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.UtcNowStored();
        var email = request.Email!.Trim();
        var invite = new GroupInvite
        {
            Id = Guid.CreateVersion7(), GroupId = id, Email = email, NormalizedEmail = Register.NormalizeEmail(email), Role = request.Role ?? GroupRoles.Member,
            TokenHash = Hash(token), InvitedBy = me, CreatedAt = now, ExpiresAt = now + Lifetime,
        };
        var url = $"{http.Scheme}://{http.Host}/invites/{token}";
        await Sql.InTransactionAsync(db, async c =>
        {
            db.GroupInvites.Add(invite);
            // The event (audit, activity, live updates) never holds the token; the e-mail's notice gets the link sealed (ADR 0044).
            GroupChanges.Record(db, events, clock, id, me, "member.invited", "invite", invite.Id, $"invited {email}", after: new { email, role = invite.Role });
            GroupInviteNotice.Record(db, events, protection, clock, invite, url);
            await db.SaveChangesAsync(c);
            return 0;
        }, ct);
        return TypedResults.Created($"/api/v1/invites/{token}", new InviteResponse(invite.Id, invite.Email, invite.Role, invite.ExpiresAt, url));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
