namespace PayTrack.Infrastructure;

public static class ClockExtensions
{
    /// <summary>
    /// Now in UTC, cut to whole microseconds: what PostgreSQL's timestamptz keeps, so a timestamp
    /// answered at creation equals the one read back later.
    /// </summary>
    public static DateTime UtcNowStored(this TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }
}
