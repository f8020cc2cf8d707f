using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Audit;

public sealed record AuditEventResponse(string Id, DateTime At, Guid? ActorId, string Event, string EntityType, Guid EntityId, JsonElement Data);
public sealed record AuditVerifyResponse(bool Valid, long Checked, string? FirstInvalidId);

public static class AuditEndpoints
{
    /// <summary>The caller's audit trail, and the chain check for admins.</summary>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit", List).WithTags("Audit").RequireAuthorization()
            .WithSummary("Audit events about you (admins: everyone's, or one user's with ?userId=), newest first, paged.");
        app.MapGet("/api/v1/admin/audit/verify", Verify).WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy)
            .WithSummary("Check that the audit trail is intact: every event's hash is recomputed; the first that does not match is named.");
        return app;
    }

    public static async Task<Results<Ok<Page<AuditEventResponse>>, ValidationProblem>> List(
        Guid? userId, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var take = limit ?? Paging.DefaultLimit;
        if (take is < 1 or > Paging.MaxLimit) v.Add("limit", $"limit must be between 1 and {Paging.MaxLimit}.");
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c)) before = c;
            else v.Add("cursor", "cursor is not one this API handed out.");
        }
        var me = principal.UserId();
        var isAdmin = principal.IsInRole(Roles.Admin);
        if (userId is not null && !isAdmin) v.Add("userId", "Only admins can read another user's audit events.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        IQueryable<AuditEvent> Page(IQueryable<AuditEvent> q) =>
            (before is { } b ? q.Where(e => e.Id < b) : q).OrderByDescending(e => e.Id).Take(take + 1);
        var all = db.AuditEvents.AsNoTracking();
        Guid? whose = !isAdmin ? me : userId;
        // About the user or done by them: two queries along their own indexes ((user_id, id), (actor_id, id)), each
        // stopped at one page, then merged; an OR would read all of a long history to sort it.
        var rows = whose is { } w
            ? await Page(all.Where(e => e.UserId == w)).Concat(Page(all.Where(e => e.ActorId == w && e.UserId != w)))
                .OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(ct)
            : await Page(all).ToListAsync(ct);
        var more = rows.Count > take;
        if (more) rows.RemoveAt(rows.Count - 1);
        var items = rows.Select(e => new AuditEventResponse(
            e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At, e.ActorId, e.Event, e.EntityType, e.EntityId,
            JsonDocument.Parse(e.Data).RootElement.Clone())).ToList();
        return TypedResults.Ok(new Page<AuditEventResponse>(items, more ? rows[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    public static async Task<Ok<AuditVerifyResponse>> Verify(AuditLog audit, CancellationToken ct)
    {
        while (await audit.SealAsync(ct) > 0) { }
        var (valid, checkedCount, firstInvalid) = await audit.VerifyAsync(ct);
        return TypedResults.Ok(new AuditVerifyResponse(valid, checkedCount, firstInvalid?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
