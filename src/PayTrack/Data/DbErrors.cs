using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PayTrack.Data;

/// <summary>Recognises database errors that have a meaning for the API, on either provider.</summary>
public static class DbErrors
{
    public static bool IsUniqueViolation(Exception ex) => Root(ex) switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sq => sq.SqliteErrorCode == 19 && sq.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>Serialization failures and deadlocks: the transaction may simply be run again.</summary>
    public static bool IsTransient(Exception ex) => Root(ex) switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException sq => sq.SqliteErrorCode is 5 or 6, // BUSY, LOCKED
        _ => false,
    };

    private static Exception Root(Exception ex)
    {
        var e = ex;
        while (e is DbUpdateException or InvalidOperationException && e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
