using System.Collections.Concurrent;

namespace PayTrack.Infrastructure.Auth;

/// <summary>
/// Remembers, for a few seconds, that a session is live and its user active, so that a busy client
/// does not cost a database read on every request. Every place that ends sessions or changes a
/// user's status calls <see cref="Forget"/> after its commit, which drops everything, so on one
/// instance a revocation still takes effect from the next request. Other instances notice within
/// <see cref="AuthOptions.SessionCacheSeconds"/>. See docs/decisions/0025-session-check-cache.md.
/// </summary>
public sealed class SessionCache(TimeProvider clock, AuthOptions options)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private long _generation;

    private sealed record Entry(Guid UserId, string Role, long CheckedAtTicks, long Generation);

    public bool Enabled => options.SessionCacheSeconds > 0;

    /// <summary>The role of a session checked recently enough, or null when the database must be asked.</summary>
    public string? Find(Guid sessionId, Guid userId)
    {
        if (!Enabled || !_entries.TryGetValue(sessionId, out var e)) return null;
        var age = clock.GetUtcNow().UtcTicks - e.CheckedAtTicks;
        if (e.UserId != userId || e.Generation != Interlocked.Read(ref _generation) || age < 0 || age > TimeSpan.TicksPerSecond * options.SessionCacheSeconds)
        {
            _entries.TryRemove(sessionId, out _);
            return null;
        }
        return e.Role;
    }

    /// <summary>Records a session found live, with the generation read before the database was asked.</summary>
    public void Remember(Guid sessionId, Guid userId, string role, long generation)
    {
        if (!Enabled) return;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[sessionId] = new Entry(userId, role, clock.GetUtcNow().UtcTicks, generation);
    }

    /// <summary>The current generation; read it before the database check so a concurrent <see cref="Forget"/> wins.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// Drops every remembered session: call after committing a revocation or a status change. Other instances
    /// are told too, when there are any (<see cref="SessionCacheRelay"/>).
    /// </summary>
    public void Forget()
    {
        ForgetHere();
        Forgotten?.Invoke();
    }

    /// <summary>Drops every session remembered by this instance only (another instance said it changed one).</summary>
    public void ForgetHere()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>Raised by <see cref="Forget"/>, for <see cref="SessionCacheRelay"/>.</summary>
    internal event Action? Forgotten;
}
