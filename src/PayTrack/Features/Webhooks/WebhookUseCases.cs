using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Webhooks;

public sealed record CreateWebhookRequest(string? Url, List<string>? Events, string? Description);

/// <summary>The new webhook with its signing secret, shown only in this answer.</summary>
public sealed record CreatedWebhookResponse(Guid Id, string Url, List<string> Events, string? Description, string Secret, DateTime CreatedAt);

public sealed record WebhookResponse(Guid Id, string Url, List<string> Events, string? Description, string Status, string? DisabledReason, DateTime CreatedAt);

public sealed record WebhookDeliveryResponse(
    Guid Id, string WebhookMessageId, string Event, int Attempt, int? StatusCode, int DurationMs, string? Error, DateTime? NextAttemptAt, DateTime CreatedAt);

public static class WebhookMapping
{
    public static List<string> EventList(string events) => events.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    public static WebhookResponse ToResponse(this Webhook w) => new(w.Id, w.Url, EventList(w.Events), w.Description, w.Status, w.DisabledReason, w.CreatedAt);

    public static WebhookDeliveryResponse ToResponse(this WebhookDelivery d) => new(
        d.Id, WebhookDeliveryHandler.WebhookId(d.MessageId), d.EventType, d.Attempt, d.StatusCode, d.DurationMs, d.Error, d.NextAttemptAt, d.CreatedAt);
}

/// <summary>Subscribes a URL to event types (or <c>*</c>); refuses URLs on loopback, private or link-local addresses unless allowed.</summary>
public static class CreateWebhook
{
    public const int MaxPerUser = 20;

    public static async Task<Results<Created<CreatedWebhookResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        CreateWebhookRequest request, ClaimsPrincipal principal, PayTrackDb db, WebhookOptions options, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation().Require("url", request.Url, "url is required.").MaxLength("url", request.Url, 2000).MaxLength("description", request.Description, 200);
        var events = (request.Events ?? []).Select(e => e?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (events.Count == 0) v.Add("events", "events must name at least one event type, or \"*\".");
        foreach (var e in events.Where(e => e != WebhookEventTypes.All && !WebhookEventTypes.IsKnown(e))) v.Add("events", $"'{e}' is not an event type.");
        if (events.Contains(WebhookEventTypes.All)) events = [WebhookEventTypes.All];
        if (!string.IsNullOrWhiteSpace(request.Url) && request.Url.Length <= 2000
            && await WebhookAddresses.RefusalAsync(request.Url.Trim(), options.AllowPrivateNetworks, ct) is { } refusal) v.Add("url", refusal);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        if (await db.Webhooks.CountAsync(w => w.UserId == userId, ct) >= MaxPerUser)
            return ProblemSetup.Problem(StatusCodes.Status409Conflict, "too-many-webhooks", "Too many webhooks", $"A user can have at most {MaxPerUser} webhooks; delete one first.");

        var hook = new Webhook
        {
            Id = Guid.CreateVersion7(), UserId = userId, Url = request.Url!.Trim(), Events = string.Join(',', events),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            Secret = WebhookSender.NewSecret(), Status = "active", CreatedAt = clock.UtcNowStored(),
        };
        db.Webhooks.Add(hook);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/webhooks/{hook.Id}", new CreatedWebhookResponse(hook.Id, hook.Url, events, hook.Description, hook.Secret, hook.CreatedAt));
    }
}

public static class ListWebhooks
{
    public static async Task<Results<Ok<Page<WebhookResponse>>, ValidationProblem>> Handle(int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var userId = principal.UserId();
        var query = db.Webhooks.AsNoTracking().Where(w => w.UserId == userId);
        if (after is { } a) query = query.Where(w => w.Id.CompareTo(a) > 0);
        var rows = await query.OrderBy(w => w.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, w => w.Id, w => w.ToResponse()));
    }
}

/// <summary>Deletes a webhook; deliveries still queued for it are dropped when their turn comes.</summary>
public static class DeleteWebhook
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var deleted = await db.Webhooks.Where(w => w.Id == id && w.UserId == userId).ExecuteDeleteAsync(ct);
        if (deleted == 0) return ProblemSetup.NotFound("The webhook");
        await db.WebhookDeliveries.Where(d => d.WebhookId == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }
}

/// <summary>The delivery log of one of the caller's webhooks: one row per attempt, newest first.</summary>
public static class ListWebhookDeliveries
{
    public static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var userId = principal.UserId();
        if (!await db.Webhooks.AnyAsync(w => w.Id == id && w.UserId == userId, ct)) return ProblemSetup.NotFound("The webhook");
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id);
        if (after is { } a) query = query.Where(d => d.Id.CompareTo(a) < 0);
        var rows = await query.OrderByDescending(d => d.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, d => d.Id, d => d.ToResponse()));
    }
}
