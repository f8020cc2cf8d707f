namespace PayTrack.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await probe();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException($"Timed out after {timeoutMs} ms waiting for: {what}. Last value: {value}");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (default: 20 s, generous for a loaded machine).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException($"Timed out after {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds} s waiting for a condition.");
            await Task.Delay(50);
        }
    }
}
