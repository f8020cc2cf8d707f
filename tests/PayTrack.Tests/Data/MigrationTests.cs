using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PayTrack.Data;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public void EveryProvider_ShipsTheSameNumberedMigrations()
    {
        var sqlite = MigrationRunner.Load("Sqlite");
        var postgres = MigrationRunner.Load("Postgres");
        sqlite.Select(m => (m.Version, m.Name)).ShouldBe(postgres.Select(m => (m.Version, m.Name)));
        sqlite.Count.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Upgrade_FromVersion1_KeepsUsersAndTheyCanSignIn()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        var id = Guid.CreateVersion7();
        var now = DateTime.UtcNow;
        var hash = new PasswordHasher<User>().HashPassword(new User(), "survives the upgrade");
        await using (var db = database.OpenContext())
        {
            (await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync(targetVersion: 1)).ShouldBe(1);
            object idValue = TestDatabase.IsPostgres ? id : id.ToString().ToUpperInvariant();
            object at = TestDatabase.IsPostgres ? now : now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO users (id, email, normalized_email, display_name, default_currency, password_hash, role, status, created_at, updated_at) " +
                "VALUES ({0}, 'Old@Example.com', 'old@example.com', 'Old Timer', 'EUR', {1}, 'admin', 'active', {2}, {2})",
                idValue, hash, at);
        }

        // Starting the app applies the rest.
        await using var app = new PayTrackApp(database);
        var tokens = await app.SignInAsync("old@example.com", "survives the upgrade");
        var me = (await app.Authorized(tokens.AccessToken).GetFromJsonAsync<UserDto>("/api/v1/me"))!;
        me.Id.ShouldBe(id);
        me.DefaultCurrency.ShouldBe("EUR");
        me.Roles.ShouldBe(["admin"]);
        me.CreatedAt.ShouldBe(now, TimeSpan.FromMilliseconds(1));
        // The ledger migration gave the existing user a Main wallet in their currency.
        var wallets = (await app.Authorized(tokens.AccessToken).GetFromJsonAsync<ItemsDto<AccountDto>>("/api/v1/accounts"))!.Items;
        wallets.ShouldHaveSingleItem().Name.ShouldBe("Main");
        wallets[0].Currency.ShouldBe("EUR");

        await using var check = database.OpenContext();
        var runner = new MigrationRunner(check, NullLogger<MigrationRunner>.Instance);
        (await runner.PendingAsync()).ShouldBeEmpty();
        (await runner.AppliedAsync()).Count.ShouldBe(runner.Available().Count);
    }

    [Fact]
    public async Task Migrate_IsIdempotent()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await using var db = database.OpenContext();
        var runner = new MigrationRunner(db, NullLogger<MigrationRunner>.Instance);
        (await runner.MigrateAsync()).ShouldBe(runner.Available().Count);
        (await runner.MigrateAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Start_WhenAnAppliedMigrationWasEdited_Refuses()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.OpenContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE schema_versions SET checksum = 'edited' WHERE version = 1");
        await using var app = new PayTrackApp(database);
        var ex = Should.Throw<InvalidOperationException>(() => app.Server);
        ex.Message.ShouldContain("changed after it was applied");
    }

    [Fact]
    public async Task MigrateCommand_InARealProcess_ConfiguredByEnvironmentVariables()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        var dll = Path.Combine(AppContext.BaseDirectory, "PayTrack.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = database.Directory,
        };
        psi.Environment["Database__Provider"] = database.ProviderSetting;
        psi.Environment["ConnectionStrings__Default"] = database.ConnectionString;
        psi.Environment["Database__DataDirectory"] = database.Directory;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        process.ExitCode.ShouldBe(0, await stderr + await stdout);
        (await stdout).ShouldContain("up to date");

        await using var db = database.OpenContext();
        var runner = new MigrationRunner(db, NullLogger<MigrationRunner>.Instance);
        (await runner.PendingAsync()).ShouldBeEmpty();
    }
}
