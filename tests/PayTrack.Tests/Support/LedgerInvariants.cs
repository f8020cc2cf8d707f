using Microsoft.EntityFrameworkCore;

namespace PayTrack.Tests.Support;

/// <summary>What must hold of the books at any quiet moment, checked straight in the database.</summary>
public static class LedgerInvariants
{
    public static async Task AssertHoldAsync(TestDatabase database)
    {
        await using var db = database.OpenContext();
        var accounts = await db.Accounts.AsNoTracking().ToListAsync();
        var postings = await db.Postings.AsNoTracking().ToListAsync();

        // Every balance equals the replay of its postings.
        var replay = postings.GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.Sum(p => p.AmountMinor));
        foreach (var a in accounts)
            a.BalanceMinor.ShouldBe(replay.GetValueOrDefault(a.Id), $"account {a.Name} ({a.Id}) balance differs from its postings");

        // No wallet below zero, no negative holds.
        foreach (var a in accounts.Where(a => a.Kind == "wallet"))
        {
            a.HeldMinor.ShouldBeGreaterThanOrEqualTo(0, $"wallet {a.Id} holds a negative amount");
            (a.BalanceMinor - a.HeldMinor).ShouldBeGreaterThanOrEqualTo(0, $"wallet {a.Id} is overdrawn");
        }

        // Double entry: every entry sums to zero, and so does every currency's whole book.
        foreach (var entry in postings.GroupBy(p => p.EntryId))
            entry.Sum(p => p.AmountMinor).ShouldBe(0, $"journal entry {entry.Key} does not balance");
        foreach (var currency in accounts.GroupBy(a => a.Currency))
            currency.Sum(a => a.BalanceMinor).ShouldBe(0, $"money created or destroyed in {currency.Key}");

        // Holds equal the pending transfers and withdrawals that reserve them.
        var pendingTransfers = await db.Transfers.AsNoTracking().Where(t => t.Status == "pending").ToListAsync();
        var pendingWithdrawals = await db.Payments.AsNoTracking().Where(p => p.Status == "pending" && p.Kind == "withdrawal").ToListAsync();
        foreach (var a in accounts.Where(a => a.Kind == "wallet"))
        {
            var reserved = pendingTransfers.Where(t => t.FromAccountId == a.Id).Sum(t => t.AmountMinor)
                + pendingWithdrawals.Where(p => p.AccountId == a.Id).Sum(p => p.AmountMinor);
            a.HeldMinor.ShouldBe(reserved, $"wallet {a.Id} holds more or less than its pending holds");
        }
    }
}
