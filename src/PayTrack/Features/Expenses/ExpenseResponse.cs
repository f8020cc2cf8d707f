using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Receipts;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses;

public sealed record ExpenseResponse(
    Guid Id, string Amount, string Currency, DateOnly Date, Guid? CategoryId, string? Payee, string? Description,
    List<string> Tags, List<ReceiptResponse> Receipts, Guid? AccountId, DateTime CreatedAt, DateTime UpdatedAt, string Kind);

public static class ExpenseMapping
{
    /// <summary>What an expense event carries (webhooks and notifications show it to the expense's owner).</summary>
    public static object EventData(this Expense e) => new
    {
        amount = Money.FromMinor(e.AmountMinor, e.Currency).ToAmountString(), currency = e.Currency, kind = e.Kind,
        date = e.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), categoryId = e.CategoryId, payee = e.Payee,
    };

    public static DomainEvent Event(this Expense e, string type) => new(type, e.UserId, e.UserId, "expense", e.Id, e.EventData());

    public static ExpenseResponse ToResponse(this Expense e, IEnumerable<string> tags, IEnumerable<ReceiptResponse> receipts) => new(
        e.Id, Money.FromMinor(e.AmountMinor, e.Currency).ToAmountString(), e.Currency, e.Date, e.CategoryId, e.Payee, e.Description,
        tags.Order(StringComparer.Ordinal).ToList(), receipts.ToList(), e.AccountId, e.CreatedAt, e.UpdatedAt, e.Kind);

    /// <summary>Answers expenses with their tags and receipts, loaded for the whole set in two queries.</summary>
    public static async Task<List<ExpenseResponse>> ToResponsesAsync(PayTrackDb db, IReadOnlyList<Expense> expenses, CancellationToken ct)
    {
        var ids = expenses.Select(e => e.Id).ToList();
        var tags = (await db.ExpenseTags.AsNoTracking().Where(t => ids.Contains(t.ExpenseId)).ToListAsync(ct)).ToLookup(t => t.ExpenseId, t => t.Tag);
        var receipts = (await db.Receipts.AsNoTracking().Where(r => ids.Contains(r.ExpenseId)).OrderBy(r => r.Id).ToListAsync(ct))
            .ToLookup(r => r.ExpenseId, r => r.ToResponse());
        return expenses.Select(e => e.ToResponse(tags[e.Id], receipts[e.Id])).ToList();
    }

    public static async Task<ExpenseResponse> ToResponseAsync(PayTrackDb db, Expense expense, CancellationToken ct) =>
        (await ToResponsesAsync(db, [expense], ct))[0];
}
