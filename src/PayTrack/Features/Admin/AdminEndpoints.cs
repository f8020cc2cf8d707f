using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Accounts;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

using PayTrack.Infrastructure.Idempotency;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Admin;

public static class AdminEndpoints
{
    /// <summary>User administration; admins only.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/users", ListUsers.Handle).WithSummary("Every user, oldest first, paged.");
        group.MapPost("/users/{id:guid}/suspend", (Guid id, ClaimsPrincipal p, PayTrackDb db, LedgerBook book, DomainEvents a, SessionCache s, TimeProvider c, CancellationToken ct) => ChangeUserStatus.Handle(id, "suspend", p, db, book, a, s, c, ct)).HonourIdempotencyKey()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Suspend an active user: their sessions end and sign-in is refused.");
        group.MapPost("/users/{id:guid}/reactivate", (Guid id, ClaimsPrincipal p, PayTrackDb db, LedgerBook book, DomainEvents a, SessionCache s, TimeProvider c, CancellationToken ct) => ChangeUserStatus.Handle(id, "reactivate", p, db, book, a, s, c, ct)).HonourIdempotencyKey()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Reactivate a suspended user.");
        group.MapPost("/users/{id:guid}/close", (Guid id, ClaimsPrincipal p, PayTrackDb db, LedgerBook book, DomainEvents a, SessionCache s, TimeProvider c, CancellationToken ct) => ChangeUserStatus.Handle(id, "close", p, db, book, a, s, c, ct)).HonourIdempotencyKey()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Close a user for good; only when every wallet is at zero and no hold or payment to or from them is pending.");
        group.MapGet("/outbox", ListOutbox.Handle).WithSummary("Outbox messages by status (default dead: delivery gave up), oldest first, paged.");
        group.MapPost("/outbox/{id:guid}/retry", RetryOutboxMessage.Handle).HonourIdempotencyKey().ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Deliver a dead outbox message again, with a fresh count of attempts.");
        return app;
    }
}
