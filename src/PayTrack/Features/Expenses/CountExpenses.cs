using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Expenses;

/// <summary>How many of the caller's expenses match the list's filters (the web list shows "page 2 of 9 · 213 entries").</summary>
public static class CountExpenses
{
    public static async Task<Results<Ok<int>, ValidationProblem>> Handle(
        string? from, string? to, Guid? categoryId, string? tag, string? q, string? minAmount, string? maxAmount, string? kind,
        ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var filter = await ListExpenses.ReadFilterAsync(from, to, categoryId, tag, q, minAmount, maxAmount, userId, db, v, ct, kind);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(await ListExpenses.Apply(db.Expenses.AsNoTracking().Where(e => e.UserId == userId), filter!, db).CountAsync(ct));
    }
}
