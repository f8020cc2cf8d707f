using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace PayTrack.Infrastructure;

/// <summary>
/// Lets Microsoft.Data.Sqlite (built against SQLitePCLRaw 2.1) load the SQLitePCLRaw 2.0.6
/// assemblies this machine's NuGet copy has. See docs/decisions/0002-sqlite-loader.md.
/// </summary>
internal static class SqliteAssemblyLoader
{
    private static int _installed;

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before any SQLite type is touched.")]
    internal static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    /// <summary>Finds a SQLitePCLRaw.* assembly in the application's folder, whatever version was asked for.</summary>
    internal static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null || !name.Name.StartsWith("SQLitePCLRaw.", StringComparison.Ordinal)) return null;
        var path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
