using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PayTrack.Data;

/// <summary>
/// Enforces <see cref="SqliteGroupCommit"/>'s one rule: work run inside a group uses only <see cref="Sql"/>,
/// which is pointed at the group's connection. An EF query there would run on the context's own
/// connection, outside the group's transaction, and wait for the write lock the group holds. Every EF
/// command issued while group work runs is refused with an exception that names the rule, so a test
/// that exercises the path fails at once instead of the app hanging under load.
/// </summary>
public sealed class SqliteGroupCommitGuard : DbCommandInterceptor
{
    private static void Check()
    {
        if (SqliteGroupCommit.InGroupWork)
            throw new InvalidOperationException(
                "An EF Core query ran inside SqliteGroupCommit work. Work run in a group commit must use only Sql (it is pointed at the group's connection and transaction).");
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check();
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Check();
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check();
        return ValueTask.FromResult(result);
    }
}
