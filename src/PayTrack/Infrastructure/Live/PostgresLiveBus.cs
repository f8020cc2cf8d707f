using System.Text.Json;
using Npgsql;

namespace PayTrack.Infrastructure.Live;

/// <summary>
/// Several instances on one PostgreSQL database: publishing is <c>pg_notify</c> on one channel, and every
/// instance (this one included) LISTENs on a connection of its own and hands what arrives to its local
/// subscribers. A message is delivered locally only through the notification, so never twice. While the
/// listening connection is down it reconnects with a growing pause; messages sent meanwhile are lost to
/// this instance (pages catch up on the next change or on reconnect).
/// </summary>
public sealed class PostgresLiveBus(LocalSubscribers local, NpgsqlDataSource dataSource, ILogger<PostgresLiveBus> logger) : BackgroundService, ILiveBus
{
    public const string Channel = "paytrack_live";
    /// <summary>PostgreSQL refuses a NOTIFY payload of 8000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7900;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this instance LISTENs (tests wait for it so no early message is missed).</summary>
    public Task Listening => _listening.Task;

    public async Task PublishAsync(LiveMessage message, CancellationToken ct)
    {
        var payload = JsonSerializer.Serialize(message, Json);
        if (System.Text.Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes)
            throw new InvalidOperationException($"A live message for {message.Topic} is too large for NOTIFY ({payload.Length} characters).");
        await using var cmd = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
        cmd.Parameters.AddWithValue("channel", Channel);
        cmd.Parameters.AddWithValue("payload", payload);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One statement and one transaction for all of them (each NOTIFY'ing transaction takes the server's notify queue lock at commit).</summary>
    public async Task PublishManyAsync(IReadOnlyList<LiveMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return;
        if (messages.Count == 1) { await PublishAsync(messages[0], ct); return; }
        var payloads = new string[messages.Count];
        for (var i = 0; i < payloads.Length; i++)
        {
            payloads[i] = JsonSerializer.Serialize(messages[i], Json);
            if (System.Text.Encoding.UTF8.GetByteCount(payloads[i]) > MaxPayloadBytes)
                throw new InvalidOperationException($"A live message for {messages[i].Topic} is too large for NOTIFY ({payloads[i].Length} characters).");
        }
        await using var cmd = dataSource.CreateCommand("SELECT count(pg_notify(@channel, p)) FROM unnest(@payloads) AS p");
        cmd.Parameters.AddWithValue("channel", Channel);
        cmd.Parameters.AddWithValue("payloads", payloads);
        await cmd.ExecuteScalarAsync(ct);
    }

    public LiveSubscription Subscribe(string topic) => local.Add(topic);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", conn)) await listen.ExecuteNonQueryAsync(stoppingToken);
                _listening.TrySetResult();
                pause = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Live updates: the LISTEN connection failed; reconnecting in {Pause}", pause);
                try { await Task.Delay(pause, stoppingToken); }
                catch (OperationCanceledException) { break; }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    /// <summary>The bus owns its data source: its pooled connections close with the app, not minutes later.</summary>
    public override void Dispose()
    {
        base.Dispose();
        dataSource.Dispose();
    }

    private void Receive(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<LiveMessage>(payload, Json) is { } message) local.Deliver(message);
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Live updates: ignored a notification that is not a live message");
        }
    }
}
