using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Payments;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Payments;

/// <summary>One of the caller's deposits or withdrawals.</summary>
public static class GetPayment
{
    public static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> Handle(Guid id, string kind, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.Kind == kind && p.UserId == me, ct);
        return payment is null ? ProblemSetup.NotFound($"The {kind}") : TypedResults.Ok(PaymentService.ToResponse(payment));
    }
}
