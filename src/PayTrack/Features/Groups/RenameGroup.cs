using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

public sealed record UpdateGroupRequest(string? Name);

/// <summary>An owner renames the group.</summary>
public static class RenameGroup
{
    public static async Task<Results<Ok<GroupResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, UpdateGroupRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        if (!access.IsOwner) return GroupProblems.OwnerOnly("rename the group");
        if (request.Name is not null)
        {
            var v = new Validation().Require("name", request.Name, "name must not be blank.").MaxLength("name", request.Name.Trim(), CreateGroup.MaxName);
            if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
            var name = request.Name.Trim();
            var now = clock.UtcNowStored();
            await Sql.InTransactionAsync(db, async c =>
            {
                await db.Groups.Where(g => g.Id == id).ExecuteUpdateAsync(s => s.SetProperty(g => g.Name, name).SetProperty(g => g.UpdatedAt, now), c);
                GroupChanges.Record(db, events, clock, id, me, "renamed", "group", id, $"renamed the group to {name}", new { name = access.Group.Name }, new { name });
                await db.SaveChangesAsync(c);
                return 0;
            }, ct);
        }
        return TypedResults.Ok((await GroupMapping.LoadAsync(db, id, me, ct))!);
    }
}
