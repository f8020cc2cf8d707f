using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Live;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>
/// A member's Server-Sent Events stream of the group's changes. Membership is checked again before every
/// message and keep-alive, so a removed member's stream ends at the next event (their removal is one).
/// </summary>
public static class StreamGroupEvents
{
    public static async Task<Results<EventStream, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, PayTrackDb db, ILiveBus bus, LiveOptions options, IServiceScopeFactory scopes, CancellationToken ct)
    {
        var me = principal.UserId();
        if (await GroupAccess.FindAsync(db, id, me, ct) is null) return ProblemSetup.NotFound("The group");
        // Subscribe before answering, so nothing that happens after the 200 is missed.
        var subscription = bus.Subscribe(GroupLiveUpdates.Topic(id));
        return new EventStream(subscription, options.KeepAlive, async c =>
        {
            // The request's own context may be pooled away during a long stream: ask through a scope of its own.
            await using var scope = scopes.CreateAsyncScope();
            var fresh = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
            return await fresh.GroupMembers.AnyAsync(m => m.GroupId == id && m.UserId == me && m.LeftAt == null, c);
        });
    }
}
