using Microsoft.EntityFrameworkCore;
using PayTrack.Data;

namespace PayTrack.Features.Groups;

/// <summary>
/// Who may see a group: its current members only. Every use case under /groups/{id} asks here first and
/// answers 404 to anyone else, so a group's existence is not revealed and a removed member loses access at once.
/// </summary>
public static class GroupAccess
{
    public sealed record Membership(Group Group, string Role)
    {
        public bool IsOwner => Role == GroupRoles.Owner;
    }

    public static async Task<Membership?> FindAsync(PayTrackDb db, Guid groupId, Guid userId, CancellationToken ct)
    {
        var row = await (from g in db.Groups.AsNoTracking()
                         join m in db.GroupMembers.AsNoTracking() on g.Id equals m.GroupId
                         where g.Id == groupId && g.DeletedAt == null && m.UserId == userId && m.LeftAt == null
                         select new { g, m.Role }).FirstOrDefaultAsync(ct);
        return row is null ? null : new Membership(row.g, row.Role);
    }
}
