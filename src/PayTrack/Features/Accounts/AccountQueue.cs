namespace PayTrack.Features.Accounts;

/// <summary>
/// An in-process first-come, first-served queue per account, taken (in id order) before a single
/// transfer goes to PostgreSQL. The database's row locks still guarantee correctness; this only
/// keeps a hot wallet's waiting requests in a cheap, fair queue in the app instead of as backends
/// sleeping on the row lock, so they neither burn the database's CPU on wake-ups nor overtake each
/// other (which made the 99th percentile). Entries exist only while someone holds or waits for them.
/// See docs/decisions/0026-transfer-in-one-call.md.
/// </summary>
public sealed class AccountQueue
{
    private readonly Dictionary<Guid, Entry> _entries = [];

    private sealed class Entry : IDisposable
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int Users;
        public void Dispose() => Gate.Dispose();
    }

    /// <summary>Waits for both accounts' turns; dispose the result to give them up.</summary>
    public async Task<IAsyncDisposable> EnterAsync(Guid a, Guid b, CancellationToken ct)
    {
        var (first, second) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
        var held = new Turns(this);
        try
        {
            await held.TakeAsync(first, ct);
            if (second != first) await held.TakeAsync(second, ct);
            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    private Entry Join(Guid id)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(id, out var e)) _entries[id] = e = new Entry();
            e.Users++;
            return e;
        }
    }

    private void Leave(Guid id, Entry e)
    {
        lock (_entries)
        {
            if (--e.Users > 0) return;
            _entries.Remove(id);
            e.Dispose(); // nobody holds or waits for it any more
        }
    }

    private sealed class Turns(AccountQueue queue) : IAsyncDisposable
    {
        private readonly List<(Guid Id, Entry Entry, bool Entered)> _taken = new(2);

        public async Task TakeAsync(Guid id, CancellationToken ct)
        {
            var e = queue.Join(id);
            _taken.Add((id, e, false));
            await e.Gate.WaitAsync(ct);
            _taken[^1] = (id, e, true);
        }

        public ValueTask DisposeAsync()
        {
            for (var i = _taken.Count - 1; i >= 0; i--)
            {
                var (id, e, entered) = _taken[i];
                if (entered) e.Gate.Release();
                queue.Leave(id, e);
            }
            _taken.Clear();
            return ValueTask.CompletedTask;
        }
    }
}
