using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Data;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Data;

/// <summary>The group commit's rule (work uses only <see cref="Sql"/>) is enforced, not just written down.</summary>
public sealed class SqliteGroupCommitTests : ApiTest
{
    [SqliteFact]
    public async Task GroupWork_ThatRunsAnEfQuery_IsRefused_WhileSqlWorkCommits()
    {
        var me = await App.RegisterAndSignInAsync();
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var sql = scope.ServiceProvider.GetRequiredService<Sql>();

        var refused = await Should.ThrowAsync<InvalidOperationException>(() =>
            SqliteGroupCommit.RunAsync(db, sql, c => db.Users.CountAsync(c), CancellationToken.None));
        refused.Message.ShouldContain("must use only Sql");

        // The same read through Sql runs on the group's connection and the group goes on.
        var viaSql = await SqliteGroupCommit.RunAsync(db, sql, async c =>
            (await sql.QueryAsync("SELECT COUNT(*) FROM users WHERE id = @p0", [me.Id], r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), c))[0],
            CancellationToken.None);
        viaSql.ShouldBe(1);
        // Outside group work, EF queries are untouched.
        (await db.Users.CountAsync(u => u.Id == me.Id)).ShouldBe(1);
    }
}

/// <summary>A test that only means something on SQLite: reported as skipped on PostgreSQL rather than passing without checking anything.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestDatabase.IsPostgres) Skip = "SQLite only: the group commit exists for SQLite's single writer.";
    }
}
