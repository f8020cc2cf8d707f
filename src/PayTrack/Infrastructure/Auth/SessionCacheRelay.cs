using System.Threading.Channels;
using PayTrack.Infrastructure.Live;

namespace PayTrack.Infrastructure.Auth;

/// <summary>
/// Several instances on one PostgreSQL database: a session revoked (sign-out, password change, suspension,
/// refresh-token reuse) through one instance is forgotten by every instance's <see cref="SessionCache"/> at
/// once, through the live bus, instead of after <c>Auth:SessionCacheSeconds</c>. Best effort like the bus: a
/// message lost while an instance reconnects leaves that instance the cache's own limit.
/// </summary>
public sealed class SessionCacheRelay(SessionCache cache, ILiveBus bus, ILogger<SessionCacheRelay> logger) : BackgroundService
{
    public const string Topic = "sessions";
    private readonly string _instance = Guid.NewGuid().ToString("N");
    // One pending announcement is enough: forgetting everything twice says nothing more.
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe(Topic);
        cache.Forgotten += Announce;
        try { await Task.WhenAll(AnnounceAsync(stoppingToken), ListenAsync(subscription, stoppingToken)); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally { cache.Forgotten -= Announce; }
    }

    private void Announce() => _pending.Writer.TryWrite(true);

    private async Task AnnounceAsync(CancellationToken ct)
    {
        await foreach (var _ in _pending.Reader.ReadAllAsync(ct))
        {
            try { await bus.PublishAsync(new LiveMessage(Topic, "forget", _instance), ct); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Telling other instances to forget cached sessions failed; they forget them within Auth:SessionCacheSeconds");
            }
        }
    }

    private async Task ListenAsync(LiveSubscription subscription, CancellationToken ct)
    {
        await foreach (var message in subscription.Reader.ReadAllAsync(ct))
            if (message.Data != _instance) cache.ForgetHere();
    }
}
