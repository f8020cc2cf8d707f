using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

public sealed record ChangeRoleRequest(string? Role);

/// <summary>An owner changes a member's role; the last owner cannot stop being one.</summary>
public static class ChangeMemberRole
{
    public static async Task<Results<Ok<GroupResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid userId, ChangeRoleRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        if (!GroupRoles.IsValid(request.Role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["role must be owner, approver or member."] });
        if (!access.IsOwner) return GroupProblems.OwnerOnly("change roles");
        var role = request.Role!;
        var outcome = await Sql.InTransactionAsync(db, async c =>
        {
            var member = await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == id && m.UserId == userId && m.LeftAt == null, c);
            if (member is null) return (object?)ProblemSetup.NotFound("The member");
            if (member.Role == role) return null;
            if (member.Role == GroupRoles.Owner &&
                await db.GroupMembers.CountAsync(m => m.GroupId == id && m.LeftAt == null && m.Role == GroupRoles.Owner, c) == 1)
                return GroupProblems.LastOwner();
            var before = member.Role;
            member.Role = role;
            GroupChanges.Record(db, events, clock, id, me, "member.role_changed", "member", userId, $"made a member {role}", new { role = before }, new { role });
            await db.SaveChangesAsync(c);
            return null;
        }, ct);
        if (outcome is ProblemHttpResult problem) return problem;
        return TypedResults.Ok((await GroupMapping.LoadAsync(db, id, me, ct))!);
    }
}
