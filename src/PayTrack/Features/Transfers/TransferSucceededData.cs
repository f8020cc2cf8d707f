using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;

namespace PayTrack.Features.Transfers;

/// <summary>
/// A <c>transfer.succeeded</c> event's data as the outbox handlers read it (wallets, amount, currency), and
/// the owners of a round's wallets in one read: the notifications tell the recipient, the webhooks let the
/// recipient see the event.
/// </summary>
public sealed record TransferSucceededData(Guid From, Guid To, string Amount, string Currency)
{
    public static TransferSucceededData Read(OutboxMessage m)
    {
        using var doc = JsonDocument.Parse(m.Data);
        var d = doc.RootElement;
        return new(d.GetProperty("from").GetGuid(), d.GetProperty("to").GetGuid(), d.GetProperty("amount").GetString()!, d.GetProperty("currency").GetString()!);
    }

    /// <summary>The users who own <paramref name="accounts"/> (system wallets have none and are left out).</summary>
    public static async Task<Dictionary<Guid, Guid>> OwnersAsync(PayTrackDb db, IEnumerable<Guid> accounts, CancellationToken ct)
    {
        var ids = accounts.Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id) && a.UserId != null)
            .Select(a => new { a.Id, a.UserId }).ToDictionaryAsync(a => a.Id, a => a.UserId!.Value, ct);
    }
}
