using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

// Expenses benchmark. Usage:
//   dotnet PayTrack.Bench.Expenses.dll --provider postgres|sqlite --connection "<connection string>"
//        --app src/PayTrack/bin/Release/net10.0/PayTrack.dll [--expenses 1000000] [--users 1000] [--only import]
// --only import skips the seeding, reports and paging: the imports and the preview of a 10 MB file alone,
// so an older build of the app can be measured against a newer one in one sitting.
// Seeds users, categories, expenses and rates in bulk (COPY on PostgreSQL, one transaction of
// prepared INSERTs on SQLite), starts PayTrack on a free loopback port and measures over HTTP.

var opts = Args.Parse(args);
var bench = new Bench(opts);
return await bench.RunAsync();

sealed record Args(string Provider, string Connection, string App, int Expenses, int Users, int Iterations, string? Only = null)
{
    public bool Postgres => Provider == "postgres";

    public static Args Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
        }
        var provider = Get("provider").ToLowerInvariant();
        return new Args(provider, Get("connection"), Get("app"),
            int.Parse(Get("expenses", provider == "postgres" ? "1000000" : "100000"), CultureInfo.InvariantCulture),
            int.Parse(Get("users", "1000"), CultureInfo.InvariantCulture),
            int.Parse(Get("iterations", "200"), CultureInfo.InvariantCulture),
            Get("only", "") is { Length: > 0 } only ? only : null);
    }
}

sealed class Bench(Args args)
{
    private const string Password = "bench password 1234";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Currencies = ["USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY"];
    private static readonly string[] Payees = ["Tesco", "Shell", "Amazon", "Netflix", "Uber", "Landlord", "City Power", "Corner Café", "Pharmacy", "Cinema", "Bakery", "Metro"];
    private static readonly string[] TagNames = ["work", "family", "trip", "gift", "tax"];
    private static readonly DateOnly FirstDay = new(2024, 1, 1);
    private const int Days = 3 * 365;
    private readonly List<string> _results = [];
    private Process? _app;
    private HttpClient _http = null!;

    public async Task<int> RunAsync()
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine($"# PayTrack expenses benchmark — {args.Provider}, {args.Expenses:N0} expenses over {args.Users:N0} users");
        var dataDir = Directory.CreateTempSubdirectory("paytrack-bench-").FullName;
        try
        {
            await RunProcessAsync(["migrate"], dataDir);
            var port = FreePort();
            _app = StartApp(port, dataDir);
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
            await WaitReadyAsync();

            if (args.Only == "import")
            {
                await MeasureImportAsync();
                await MeasurePreviewAsync();
                Console.WriteLine();
                foreach (var line in _results) Console.WriteLine(line);
                return 0;
            }

            // The first user is the admin (sets rates) and the heavy user (20,000 expenses: page 200 exists).
            var heavy = await RegisterAsync("heavy@bench.example");
            var seedTime = Stopwatch.StartNew();
            var (heavyId, typicalEmail) = await SeedAsync(heavy.Id);
            Console.WriteLine($"seeded in {seedTime.Elapsed.TotalSeconds:F1} s");
            await SetRatesAsync(heavy.Token);

            var typical = await SignInAsync(typicalEmail);
            await MeasureReportsAsync(heavy.Token, "heavy user (≈6,700 expenses/year)");
            await MeasureReportsAsync(typical, "typical user (≈330 expenses/year)");
            await MeasurePagesAsync(heavy.Token);
            await MeasureImportAsync();
            await MeasurePreviewAsync();

            Console.WriteLine();
            Console.WriteLine($"## Results ({args.Provider}, {args.Expenses:N0} expenses, {args.Users:N0} users, {args.Iterations} timed requests each)");
            Console.WriteLine();
            Console.WriteLine("| What | p50 | p95 | Target |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var line in _results) Console.WriteLine(line);
            Console.WriteLine();
            Console.WriteLine($"total benchmark time {total.Elapsed.TotalSeconds:F0} s");
            return 0;
        }
        finally
        {
            if (_app is { HasExited: false }) { _app.Kill(entireProcessTree: true); await _app.WaitForExitAsync(); }
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }

    // ---------------------------------------------------------------- app process

    private Process StartApp(int port, string dataDir)
    {
        var psi = AppStartInfo(["--urls", $"http://127.0.0.1:{port}"], dataDir);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[app] " + e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private ProcessStartInfo AppStartInfo(string[] appArgs, string dataDir)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.GetFullPath(args.App));
        foreach (var a in appArgs) psi.ArgumentList.Add(a);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Database__Provider"] = args.Postgres ? "Postgres" : "Sqlite";
        psi.Environment["ConnectionStrings__Default"] = args.Connection;
        psi.Environment["Database__DataDirectory"] = dataDir;
        psi.Environment["RateLimits__Enabled"] = "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        return psi;
    }

    private async Task RunProcessAsync(string[] appArgs, string dataDir)
    {
        using var p = Process.Start(AppStartInfo(appArgs, dataDir))!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"PayTrack {string.Join(' ', appArgs)} failed: {await stderr}");
    }

    private async Task WaitReadyAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            try { if ((await _http.GetAsync("/health/ready")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("PayTrack did not become ready.");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    // ---------------------------------------------------------------- API helpers

    private async Task<(Guid Id, string Token)> RegisterAsync(string email)
    {
        var res = await _http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, displayName = "Bench" });
        res.EnsureSuccessStatusCode();
        var id = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (id, await SignInAsync(email));
    }

    private async Task<string> SignInAsync(string email)
    {
        var res = await _http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = Password });
        res.EnsureSuccessStatusCode();
        return (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private HttpRequestMessage Get(string url, string token)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return req;
    }

    private async Task SetRatesAsync(string adminToken)
    {
        // Daily EUR→USD and GBP→USD, USD→JPY (reports use its inverse) over the seeded years.
        var rates = new List<object>();
        for (var d = 0; d < Days; d++)
        {
            var date = FirstDay.AddDays(d).ToString("yyyy-MM-dd", Inv);
            rates.Add(new { date, @base = "EUR", quote = "USD", rate = (1.05m + d % 20 / 1000m).ToString(Inv) });
            rates.Add(new { date, @base = "GBP", quote = "USD", rate = (1.25m + d % 30 / 1000m).ToString(Inv) });
            rates.Add(new { date, @base = "USD", quote = "JPY", rate = (145m + d % 50 / 10m).ToString(Inv) });
        }
        var req = new HttpRequestMessage(HttpMethod.Put, "/api/v1/exchange-rates") { Content = JsonContent.Create(new { rates }) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        (await _http.SendAsync(req)).EnsureSuccessStatusCode();
    }

    // ---------------------------------------------------------------- measurements

    private async Task<(double P50, double P95)> TimeAsync(string what, string target, Func<Task> op, int? iterations = null)
    {
        for (var i = 0; i < 20; i++) await op();
        var n = iterations ?? args.Iterations;
        var samples = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sw = Stopwatch.StartNew();
            await op();
            samples[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        double P(double q) => samples[Math.Min(n - 1, (int)Math.Ceiling(q * n) - 1)];
        var (p50, p95) = (P(0.50), P(0.95));
        _results.Add($"| {what} | {p50:F1} ms | {p95:F1} ms | {target} |");
        Console.WriteLine($"{what}: p50 {p50:F1} ms, p95 {p95:F1} ms");
        return (p50, p95);
    }

    private async Task Ok(HttpRequestMessage req)
    {
        using var res = await _http.SendAsync(req);
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"{req.RequestUri} answered {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
        await res.Content.CopyToAsync(Stream.Null);
    }

    private async Task MeasureReportsAsync(string token, string who)
    {
        foreach (var groupBy in new[] { "category", "month", "tag" })
        {
            await TimeAsync($"Spending report, one year by {groupBy}, {who}", "p95 ≤ 50 ms",
                () => Ok(Get($"/api/v1/reports/spending?from=2025-01-01&to=2025-12-31&groupBy={groupBy}&currency=USD", token)));
        }
    }

    private async Task MeasurePagesAsync(string token)
    {
        await TimeAsync("Expenses, first page (50)", "p95 ≤ 20 ms", () => Ok(Get("/api/v1/expenses?limit=50", token)));
        string? cursor = null;
        for (var page = 1; page < 200; page++)
        {
            using var res = await _http.SendAsync(Get($"/api/v1/expenses?limit=50{(cursor is null ? "" : "&cursor=" + cursor)}", token));
            cursor = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nextCursor").GetString()
                ?? throw new InvalidOperationException($"The heavy user has fewer than {page + 1} pages.");
        }
        await TimeAsync("Expenses, page 200 (50 per page, keyset cursor)", "p95 ≤ 20 ms", () => Ok(Get($"/api/v1/expenses?limit=50&cursor={cursor}", token)));
    }

    private async Task MeasureImportAsync()
    {
        const int rows = 100_000;
        var csv = ImportCsv(rows, seed: 7);

        var whole = await RegisterAsync("importer-1@bench.example");
        var sw = Stopwatch.StartNew();
        var imported = await ImportAsync(whole.Token, csv.All);
        var seconds = sw.Elapsed.TotalSeconds;
        if (imported != rows) throw new InvalidOperationException($"Imported {imported} of {rows} rows.");
        var rate = rows / seconds;
        _results.Add($"| Import of a 100,000-row CSV, one request | {seconds:F1} s | {rate:N0} rows/s | ≥ 5,000 rows/s |");
        Console.WriteLine($"import 100,000 rows: {seconds:F1} s = {rate:N0} rows/s");

        sw.Restart();
        var again = await ImportAsync(whole.Token, csv.All);
        _results.Add($"| Re-import of the same file (all duplicates) | {sw.Elapsed.TotalSeconds:F1} s | {again} imported | 0 imported |");

        // The same file as ten consecutive tenths (a statement a month at a time) for a fresh user:
        // the last tenth must not be slower than 0.8× the first, i.e. cost must not grow with history.
        var tenths = await RegisterAsync("importer-2@bench.example");
        var times = new List<double>();
        foreach (var part in csv.Tenths)
        {
            sw.Restart();
            await ImportAsync(tenths.Token, part);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        var first = rows / 10 / times[0];
        var last = rows / 10 / times[^1];
        _results.Add($"| Import in tenths: first tenth / last tenth | {first:N0} rows/s | {last:N0} rows/s ({last / first:F2}×) | last ≥ 0.8× first |");
        Console.WriteLine($"tenths: {string.Join(", ", times.Select(t => $"{t:F2}s"))}; first {first:N0} rows/s, last {last:N0} rows/s");
    }

    /// <summary>The import wizard's first answer for a 10 MB bank file: detection, guesses and the first rows, from the whole file.</summary>
    private async Task MeasurePreviewAsync()
    {
        var user = await RegisterAsync("previewer@bench.example");
        var random = new Random(11);
        var sb = new StringBuilder("Kontonummer:;DE12 3456 7890;\nZeitraum:;01.01.2023 - 31.12.2024;\n\nBuchungstag;Valuta;Empfänger;Verwendungszweck;Betrag;Währung;\n");
        for (var i = 0; sb.Length < 10 * 1024 * 1024; i++)
        {
            var date = new DateOnly(2023, 1, 1).AddDays(i % 730);
            var amount = (random.Next(-50000, 20000) / 100m).ToString("N2", CultureInfo.GetCultureInfo("de-DE"));
            sb.Append(Inv, $"{date:dd.MM.yyyy};{date:dd.MM.yyyy};\"{Payees[random.Next(Payees.Length)]} GmbH\";\"Kartenzahlung {i} Filiale {random.Next(1000)}\";{amount};EUR;\n");
        }
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var times = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "umsaetze.csv" } };
            var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/preview") { Content = form };
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
            var sw = Stopwatch.StartNew();
            using var res = await _http.SendAsync(req);
            var body = await res.Content.ReadAsStringAsync();
            if (res.StatusCode == System.Net.HttpStatusCode.NotFound) { Console.WriteLine("preview: this build has no /imports/preview"); return; }
            if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"preview answered {(int)res.StatusCode}: {body}");
            if (run > 0) times.Add(sw.Elapsed.TotalMilliseconds); // the first request warms up the JIT
        }
        times.Sort();
        _results.Add($"| Preview of a {bytes.Length / 1024.0 / 1024.0:F1} MB CSV (German bank layout, {bytes.Length / 70:N0}≈ rows), median / max of 5 | {times[2]:F0} ms | {times[^1]:F0} ms | < 1,000 ms |");
        Console.WriteLine($"preview 10 MB: {string.Join(", ", times.Select(t => $"{t:F0} ms"))}");
    }

    private async Task<int> ImportAsync(string token, string csv)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "statement.csv" },
            { new StringContent("""{"date":"date","amount":"amount","payee":"payee","description":"description","currency":"currency"}"""), "mapping" },
        };
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports") { Content = form };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var res = await _http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"import answered {(int)res.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("imported").GetInt32();
    }

    /// <summary>A bank-style CSV sorted by date over two years, and the same rows cut into ten files.</summary>
    private static (string All, List<string> Tenths) ImportCsv(int rows, int seed)
    {
        var random = new Random(seed);
        const string header = "date,amount,payee,description,currency\n";
        var lines = new List<string>(rows);
        for (var i = 0; i < rows; i++)
        {
            var date = new DateOnly(2023, 1, 1).AddDays(i * 730 / rows);
            var currency = Currencies[random.Next(Currencies.Length)];
            var amount = currency == "JPY" ? random.Next(100, 20000).ToString(Inv) : (random.Next(100, 50000) / 100m).ToString("F2", Inv);
            lines.Add($"{date:yyyy-MM-dd},{amount},\"{Payees[random.Next(Payees.Length)]} #{i}\",purchase {i},{currency}\n");
        }
        var tenths = Enumerable.Range(0, 10).Select(t => header + string.Concat(lines.Skip(t * rows / 10).Take(rows / 10))).ToList();
        return (header + string.Concat(lines), tenths);
    }

    // ---------------------------------------------------------------- seeding

    private sealed record Seed(Guid Id, Guid UserId, Guid? CategoryId, long Minor, string Currency, DateOnly Date, string Payee, string? Tag);

    /// <summary>Seeds users 2..n (same password as the heavy user), their categories and every expense.</summary>
    private async Task<(Guid HeavyId, string TypicalEmail)> SeedAsync(Guid heavyId)
    {
        var random = new Random(42);
        var now = DateTime.UtcNow;
        var users = new List<Guid> { heavyId };
        for (var i = 1; i < args.Users; i++) users.Add(Guid.CreateVersion7());
        var heavyCount = Math.Min(20_000, args.Expenses / 2);
        var perUser = (args.Expenses - heavyCount) / Math.Max(1, args.Users - 1);

        IEnumerable<Seed> Expenses(Dictionary<Guid, Guid[]> categories)
        {
            for (var u = 0; u < users.Count; u++)
            {
                var count = u == 0 ? heavyCount : u == users.Count - 1 ? args.Expenses - heavyCount - perUser * (users.Count - 2) : perUser;
                var cats = categories[users[u]];
                for (var i = 0; i < count; i++)
                {
                    var currency = Currencies[random.Next(Currencies.Length)];
                    var minor = currency == "JPY" ? random.Next(100, 20000) : random.Next(100, 50000);
                    yield return new Seed(Guid.CreateVersion7(), users[u], random.Next(10) == 0 ? null : cats[random.Next(cats.Length)], minor, currency,
                        FirstDay.AddDays(random.Next(Days)), Payees[random.Next(Payees.Length)], random.Next(10) < 3 ? TagNames[random.Next(TagNames.Length)] : null);
                }
            }
        }

        if (args.Postgres)
        {
            await using var conn = new NpgsqlConnection(args.Connection);
            await conn.OpenAsync();
            var hash = (string)(await new NpgsqlCommand($"SELECT password_hash FROM users WHERE id = '{heavyId}'", conn).ExecuteScalarAsync())!;
            await using (var w = await conn.BeginBinaryImportAsync("COPY users (id, email, normalized_email, display_name, default_currency, password_hash, role, status, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 1; i < users.Count; i++)
                {
                    var email = $"user{i}@bench.example";
                    await w.WriteRowAsync(default, users[i], email, email, "Bench", "USD", hash, "user", "active", now, now);
                }
                await w.CompleteAsync();
            }
            var categories = await SeedCategoriesPostgresAsync(conn, users.Skip(1).ToList(), heavyId, now);
            var tagRows = new List<(Guid, string, Guid, DateOnly)>();
            await using (var w = await conn.BeginBinaryImportAsync("COPY expenses (id, user_id, category_id, amount_minor, currency, date, payee, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var e in Expenses(categories))
                {
                    await w.StartRowAsync();
                    await w.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                    await w.WriteAsync(e.UserId, NpgsqlDbType.Uuid);
                    if (e.CategoryId is { } c) await w.WriteAsync(c, NpgsqlDbType.Uuid); else await w.WriteNullAsync();
                    await w.WriteAsync(e.Minor, NpgsqlDbType.Bigint);
                    await w.WriteAsync(e.Currency, NpgsqlDbType.Text);
                    await w.WriteAsync(e.Date, NpgsqlDbType.Date);
                    await w.WriteAsync(e.Payee, NpgsqlDbType.Text);
                    await w.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await w.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    if (e.Tag is not null) tagRows.Add((e.Id, e.Tag, e.UserId, e.Date));
                }
                await w.CompleteAsync();
            }
            await using (var t = await conn.BeginBinaryImportAsync("COPY expense_tags (expense_id, tag, user_id, date) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (id, tag, user, date) in tagRows) await t.WriteRowAsync(default, id, tag, user, date);
                await t.CompleteAsync();
            }
            foreach (var sql in new[] { "VACUUM ANALYZE expenses", "VACUUM ANALYZE expense_tags", "ANALYZE users", "ANALYZE categories" })
                await new NpgsqlCommand(sql, conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
        }
        else
        {
            await using var conn = new SqliteConnection(args.Connection);
            await conn.OpenAsync();
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync();
            var hashCmd = conn.CreateCommand();
            hashCmd.CommandText = "SELECT password_hash FROM users WHERE id = $id";
            hashCmd.Parameters.AddWithValue("$id", heavyId.ToString().ToUpperInvariant());
            var hash = (string)(await hashCmd.ExecuteScalarAsync())!;
            var ts = now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", Inv);
            var user = Prepared(conn, "INSERT INTO users (id, email, normalized_email, display_name, default_currency, password_hash, role, status, created_at, updated_at) VALUES ($1, $2, $2, 'Bench', 'USD', $3, 'user', 'active', $4, $4)", 4);
            for (var i = 1; i < users.Count; i++) Exec(user, Id(users[i]), $"user{i}@bench.example", hash, ts);
            var categories = new Dictionary<Guid, Guid[]>();
            var readCats = conn.CreateCommand();
            readCats.CommandText = "SELECT id FROM categories WHERE user_id = $u";
            readCats.Parameters.AddWithValue("$u", Id(heavyId));
            var heavyCats = new List<Guid>();
            await using (var r = await readCats.ExecuteReaderAsync()) while (await r.ReadAsync()) heavyCats.Add(Guid.Parse(r.GetString(0)));
            categories[heavyId] = heavyCats.ToArray();
            var cat = Prepared(conn, "INSERT INTO categories (id, user_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)", 4);
            foreach (var u in users.Skip(1))
            {
                categories[u] = DefaultNames.Select(_ => Guid.CreateVersion7()).ToArray();
                for (var k = 0; k < DefaultNames.Length; k++) Exec(cat, Id(categories[u][k]), Id(u), DefaultNames[k], ts);
            }
            var exp = Prepared(conn, "INSERT INTO expenses (id, user_id, category_id, amount_minor, currency, date, payee, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)", 8);
            var tag = Prepared(conn, "INSERT INTO expense_tags (expense_id, tag, user_id, date) VALUES ($1, $2, $3, $4)", 4);
            foreach (var e in Expenses(categories))
            {
                Exec(exp, Id(e.Id), Id(e.UserId), e.CategoryId is { } c ? Id(c) : DBNull.Value, e.Minor, e.Currency, e.Date.ToString("yyyy-MM-dd", Inv), e.Payee, ts);
                if (e.Tag is not null) Exec(tag, Id(e.Id), e.Tag, Id(e.UserId), e.Date.ToString("yyyy-MM-dd", Inv));
            }
            await tx.CommitAsync();
            await using var analyze = conn.CreateCommand();
            analyze.CommandText = "ANALYZE";
            await analyze.ExecuteNonQueryAsync();
        }
        return (heavyId, $"user{users.Count / 2}@bench.example");
    }

    private static readonly string[] DefaultNames = ["Food", "Transport", "Housing", "Utilities", "Health", "Entertainment", "Shopping", "Other"];

    private static async Task<Dictionary<Guid, Guid[]>> SeedCategoriesPostgresAsync(NpgsqlConnection conn, List<Guid> users, Guid heavyId, DateTime now)
    {
        var result = new Dictionary<Guid, Guid[]>();
        await using (var cmd = new NpgsqlCommand("SELECT id FROM categories WHERE user_id = @u", conn))
        {
            cmd.Parameters.AddWithValue("u", heavyId);
            var ids = new List<Guid>();
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) ids.Add(r.GetGuid(0));
            result[heavyId] = ids.ToArray();
        }
        await using var w = await conn.BeginBinaryImportAsync("COPY categories (id, user_id, name, created_at, updated_at) FROM STDIN (FORMAT BINARY)");
        foreach (var u in users)
        {
            result[u] = DefaultNames.Select(_ => Guid.CreateVersion7()).ToArray();
            for (var k = 0; k < DefaultNames.Length; k++) await w.WriteRowAsync(default, result[u][k], u, DefaultNames[k], now, now);
        }
        await w.CompleteAsync();
        return result;
    }

    private static string Id(Guid g) => g.ToString().ToUpperInvariant();

    private static SqliteCommand Prepared(SqliteConnection conn, string sql, int parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 1; i <= parameters; i++) cmd.Parameters.Add(new SqliteParameter("$" + i.ToString(Inv), null));
        cmd.Prepare();
        return cmd;
    }

    private static void Exec(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
        cmd.ExecuteNonQuery();
    }
}
