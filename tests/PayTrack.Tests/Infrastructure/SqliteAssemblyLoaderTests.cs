using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Data.Sqlite;
using PayTrack.Infrastructure;

namespace PayTrack.Tests.Infrastructure;

public sealed class SqliteAssemblyLoaderTests
{
    [Fact]
    public void Resolve_FindsSqlitePclRawInTheAppFolderWhateverVersionIsAsked()
    {
        var asked = new AssemblyName("SQLitePCLRaw.core") { Version = new Version(2, 1, 13, 0) };
        var loaded = SqliteAssemblyLoader.Resolve(AssemblyLoadContext.Default, asked);
        loaded.ShouldNotBeNull();
        loaded.GetName().Name.ShouldBe("SQLitePCLRaw.core");
    }

    [Fact]
    public void Resolve_LeavesOtherAssembliesAlone()
    {
        SqliteAssemblyLoader.Resolve(AssemblyLoadContext.Default, new AssemblyName("Some.Other.Library")).ShouldBeNull();
    }

    [Fact]
    public void Sqlite_OpensAndRunsSql()
    {
        using var conn = new SqliteConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT sqlite_version()";
        var version = (string)cmd.ExecuteScalar()!;
        version.ShouldStartWith("3.");
    }
}
