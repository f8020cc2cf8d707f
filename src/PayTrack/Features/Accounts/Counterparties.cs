using Microsoft.EntityFrameworkCore;
using PayTrack.Data;

namespace PayTrack.Features.Accounts;

/// <summary>
/// Who is on the other side of a transfer, as the viewer may see it: the person's display name, with their
/// e-mail only when the viewer has sent them money before (so typed it themselves) — never a stranger's e-mail.
/// The viewer's own wallets are named as theirs; system accounts (card top-ups, withdrawals) are "PayTrack".
/// </summary>
public static class Counterparties
{
    public static async Task<Dictionary<Guid, string>> ForAccountsAsync(PayTrackDb db, Guid viewerId, IReadOnlyCollection<Guid> accountIds, CancellationToken ct)
    {
        var ids = accountIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        var rows = await (from a in db.Accounts.AsNoTracking()
                          where ids.Contains(a.Id)
                          join u in db.Users.AsNoTracking() on a.UserId equals u.Id into owners
                          from u in owners.DefaultIfEmpty()
                          select new { a.Id, a.UserId, a.Name, DisplayName = u == null ? null : u.DisplayName, Email = u == null ? null : u.Email }).ToListAsync(ct);
        var others = rows.Where(r => r.UserId is { } u && u != viewerId).Select(r => r.UserId!.Value).Distinct().ToList();
        var sentTo = new HashSet<Guid>();
        if (others.Count > 0)
        {
            var mine = db.Accounts.Where(a => a.UserId == viewerId).Select(a => a.Id);
            sentTo = (await (from t in db.Transfers.AsNoTracking()
                             join a in db.Accounts.AsNoTracking() on t.ToAccountId equals a.Id
                             where mine.Contains(t.FromAccountId) && a.UserId != null && others.Contains(a.UserId.Value)
                             select a.UserId!.Value).Distinct().ToListAsync(ct)).ToHashSet();
        }
        return rows.ToDictionary(r => r.Id, r => r.UserId switch
        {
            null => "PayTrack",
            { } u when u == viewerId => $"your wallet “{r.Name}”",
            { } u when sentTo.Contains(u) => $"{r.DisplayName} ({r.Email})",
            _ => r.DisplayName ?? "another person",
        });
    }

    /// <summary>For each transfer, the name of the side that is not <paramref name="viewerAccountId"/> (or, with none given, not the viewer's).</summary>
    public static async Task<Dictionary<Guid, string>> ForTransfersAsync(PayTrackDb db, Guid viewerId, IReadOnlyCollection<Guid> transferIds, Guid? viewerAccountId, CancellationToken ct)
    {
        var ids = transferIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        var transfers = await db.Transfers.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.FromAccountId, t.ToAccountId }).ToListAsync(ct);
        var names = await ForAccountsAsync(db, viewerId, transfers.SelectMany(t => new[] { t.FromAccountId, t.ToAccountId }).ToList(), ct);
        return transfers.ToDictionary(t => t.Id, t =>
        {
            var other = viewerAccountId == t.FromAccountId ? t.ToAccountId
                : viewerAccountId == t.ToAccountId ? t.FromAccountId
                : names.GetValueOrDefault(t.FromAccountId, "").StartsWith("your wallet", StringComparison.Ordinal) ? t.ToAccountId : t.FromAccountId;
            return names.GetValueOrDefault(other, "another person");
        });
    }
}
