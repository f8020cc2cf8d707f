using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>Every expense of a group as CSV with its payers and shares (names and amounts in the group currency); formula cells neutralised.</summary>
public static class ExportGroupExpenses
{
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var access = await GroupAccess.FindAsync(db, id, principal.UserId(), ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var names = await (from m in db.GroupMembers.AsNoTracking()
                           join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                           where m.GroupId == id
                           select new { u.Id, u.DisplayName }).ToDictionaryAsync(x => x.Id, x => x.DisplayName, ct);
        var currency = access.Group.Currency;
        var query = db.GroupExpenses.AsNoTracking().Where(e => e.GroupId == id).Include(e => e.Parts).OrderByDescending(e => e.Date).ThenByDescending(e => e.Id);
        string Parts(GroupExpense e, string kind) => string.Join("; ", e.Parts.Where(p => p.Kind == kind).OrderBy(p => names.GetValueOrDefault(p.UserId), StringComparer.Ordinal)
            .Select(p => $"{names.GetValueOrDefault(p.UserId, p.UserId.ToString())}: {GroupMapping.Amount(p.GroupMinor, currency)}"));
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, CsvText.Utf8, 65536);
            await writer.WriteAsync(CsvText.Line("id", "date", "description", "category", "amount", "currency", "rate", "groupAmount", "groupCurrency", "payers", "shares"));
            await foreach (var e in query.AsAsyncEnumerable().WithCancellation(ct))
                await writer.WriteAsync(CsvText.Line(
                    e.Id.ToString(), e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), CsvText.Cell(e.Description), CsvText.Cell(e.Category),
                    GroupMapping.Amount(e.AmountMinor, e.Currency), e.Currency, e.Rate, GroupMapping.Amount(e.GroupAmountMinor, currency), currency,
                    CsvText.Cell(Parts(e, GroupPartKinds.Payer)), CsvText.Cell(Parts(e, GroupPartKinds.Share))));
        }, "text/csv; charset=utf-8", "group-expenses.csv");
    }
}
