using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Audit;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Admin;

public static class AdminEndpoints
{
    /// <summary>User administration; admins only.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/users", ListUsers).WithSummary("Every user, oldest first, paged.");
        group.MapPost("/users/{id:guid}/suspend", (Guid id, ClaimsPrincipal p, PayTrackDb db, AuditLog a, SessionCache s, TimeProvider c, CancellationToken ct) => ChangeStatus(id, "suspend", p, db, a, s, c, ct))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Suspend an active user: their sessions end and sign-in is refused.");
        group.MapPost("/users/{id:guid}/reactivate", (Guid id, ClaimsPrincipal p, PayTrackDb db, AuditLog a, SessionCache s, TimeProvider c, CancellationToken ct) => ChangeStatus(id, "reactivate", p, db, a, s, c, ct))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Reactivate a suspended user.");
        group.MapPost("/users/{id:guid}/close", (Guid id, ClaimsPrincipal p, PayTrackDb db, AuditLog a, SessionCache s, TimeProvider c, CancellationToken ct) => ChangeStatus(id, "close", p, db, a, s, c, ct))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Close a user for good; only when every wallet is at zero with nothing held.");
        return app;
    }

    public static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> ListUsers(int? limit, string? cursor, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var query = db.Users.AsNoTracking();
        if (after is { } a) query = query.Where(u => u.Id.CompareTo(a) > 0);
        var rows = await query.OrderBy(u => u.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, u => u.Id, u => u.ToResponse()));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ChangeStatus(
        Guid id, string action, ClaimsPrincipal principal, PayTrackDb db, AuditLog audit, SessionCache sessions, TimeProvider clock, CancellationToken ct)
    {
        if (id == principal.UserId())
            return ProblemSetup.Problem(409, "cannot-change-own-status", "Not on yourself", "Admins cannot suspend, reactivate or close their own account.");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return ProblemSetup.NotFound("The user");

        var now = clock.GetUtcNow().UtcDateTime;
        var before = user.Status;
        user.Status = UserStatus.Transition(user.Status, action);
        user.UpdatedAt = now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (user.Status == UserStatus.Closed)
        {
            // Checked inside the write transaction: no money can arrive between the check and the close.
            if (await db.Accounts.AnyAsync(a => a.UserId == id && (a.BalanceMinor != 0 || a.HeldMinor != 0), ct))
                return ProblemSetup.Problem(409, "balance-not-zero", "Wallets not empty", "A user can only be closed when every wallet is at zero with nothing held.");
            await db.Accounts.Where(a => a.UserId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, "closed").SetProperty(a => a.UpdatedAt, now), ct);
        }
        await db.SaveChangesAsync(ct);
        if (user.Status != UserStatus.Active)
        {
            await db.Sessions.Where(s => s.UserId == id && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "account-" + user.Status), ct);
        }
        await audit.RecordAsync(principal.UserId(), id, "user." + user.Status, "user", id, new { from = before, to = user.Status }, ct);
        await tx.CommitAsync(ct);
        sessions.Forget();
        return TypedResults.Ok(user.ToResponse());
    }
}
