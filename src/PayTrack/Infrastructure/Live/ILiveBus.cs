using System.Threading.Channels;

namespace PayTrack.Infrastructure.Live;

/// <summary>One live message: an SSE <see cref="Event"/> name and its <see cref="Data"/> (JSON text) for everyone subscribed to <see cref="Topic"/>.</summary>
public sealed record LiveMessage(string Topic, string Event, string Data);

/// <summary>
/// Fan-out of live updates between requests and instances, by topic (plain strings such as <c>group:{id}</c> or
/// <c>user:{id}</c>). Publishers are outbox handlers (so only committed changes are announced); subscribers are
/// open Server-Sent Events streams. Delivery is best effort and at most once: a page that misses a message
/// re-reads its state on the next one or on reconnect. See ADR 0040.
/// </summary>
public interface ILiveBus
{
    /// <summary>Sends <paramref name="message"/> to every subscriber of its topic, on every instance.</summary>
    Task PublishAsync(LiveMessage message, CancellationToken ct);

    /// <summary>Sends several messages at once (one round trip where the bus crosses instances).</summary>
    Task PublishManyAsync(IReadOnlyList<LiveMessage> messages, CancellationToken ct);

    /// <summary>Starts receiving the topic's messages; dispose the subscription to stop.</summary>
    LiveSubscription Subscribe(string topic);
}

/// <summary>An open subscription: read <see cref="Reader"/>; dispose to leave.</summary>
public sealed class LiveSubscription(string topic, Channel<LiveMessage> channel, Action<LiveSubscription> leave) : IDisposable
{
    public string Topic { get; } = topic;
    public ChannelReader<LiveMessage> Reader => channel.Reader;
    internal ChannelWriter<LiveMessage> Writer => channel.Writer;

    public void Dispose()
    {
        leave(this);
        channel.Writer.TryComplete();
    }
}

/// <summary>The subscribers of this process, by topic: what every <see cref="ILiveBus"/> delivers to in the end.</summary>
public sealed class LocalSubscribers
{
    /// <summary>A slow reader loses the oldest messages rather than holding up everyone (a page only needs to know that something changed).</summary>
    public const int BufferPerSubscriber = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<LiveSubscription>> _byTopic = new(StringComparer.Ordinal);

    public LiveSubscription Add(string topic)
    {
        var channel = Channel.CreateBounded<LiveMessage>(new BoundedChannelOptions(BufferPerSubscriber)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false,
        });
        var subscription = new LiveSubscription(topic, channel, Remove);
        lock (_lock)
        {
            if (!_byTopic.TryGetValue(topic, out var list)) _byTopic[topic] = list = [];
            list.Add(subscription);
        }
        return subscription;
    }

    public int Count(string topic)
    {
        lock (_lock) return _byTopic.TryGetValue(topic, out var list) ? list.Count : 0;
    }

    public void Deliver(LiveMessage message)
    {
        LiveSubscription[] targets;
        lock (_lock)
        {
            if (!_byTopic.TryGetValue(message.Topic, out var list)) return;
            targets = list.ToArray();
        }
        foreach (var s in targets) s.Writer.TryWrite(message);
    }

    private void Remove(LiveSubscription subscription)
    {
        lock (_lock)
        {
            if (!_byTopic.TryGetValue(subscription.Topic, out var list)) return;
            list.Remove(subscription);
            if (list.Count == 0) _byTopic.Remove(subscription.Topic);
        }
    }
}

/// <summary>One process (SQLite, or a single instance): publishing delivers straight to this process's subscribers.</summary>
public sealed class InProcessLiveBus(LocalSubscribers local) : ILiveBus
{
    public Task PublishAsync(LiveMessage message, CancellationToken ct)
    {
        local.Deliver(message);
        return Task.CompletedTask;
    }

    public Task PublishManyAsync(IReadOnlyList<LiveMessage> messages, CancellationToken ct)
    {
        foreach (var message in messages) local.Deliver(message);
        return Task.CompletedTask;
    }

    public LiveSubscription Subscribe(string topic) => local.Add(topic);
}
