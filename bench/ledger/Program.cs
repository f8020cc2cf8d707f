// Ledger load generator: drives POST /api/v1/transfers (and /transfers/batch) over HTTP with real
// tokens against a PayTrack process, and prints throughput and latency percentiles.
//
//   dotnet run -c Release --project bench/ledger -- --provider Postgres --connection "..." [--app path/to/PayTrack.dll]
//     [--scenarios spread,hot,batch] [--seconds 15] [--clients 32] [--notifications on|off] [--rate N]
//     [--env Key=Value ...] [--drain-seconds 300]
//   --notifications on: an in-app notification and e-mail per transfer, and a webhook for every user to a
//   receiver in this process that measures commit-to-delivery lag; --rate N paces the load at N requests/s.
//
// bench/ledger/run.sh starts a throwaway PostgreSQL, runs every scenario and pgbench for reference.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var opts = Args.Parse(args);
Console.WriteLine($"# PayTrack ledger benchmark — provider {opts.Provider}{(opts.IsPostgres ? "" : $" (synchronous={opts.SqliteSynchronous})")}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

var results = new List<string>();
await using var receiver = opts.Notifications ? await LagReceiver.StartAsync() : null;
foreach (var scenario in opts.Scenarios)
{
    await using var app = await AppProcess.StartAsync(opts, scenario);
    var seeded = await Seed.RunAsync(opts, app, scenario);
    if (receiver is not null) await Seed.WebhooksAsync(opts, app, receiver.Url);
    receiver?.Reset();
    var line = scenario switch
    {
        "spread" => await Load.TransfersAsync(app, seeded, opts, hot: false),
        "hot" => await Load.TransfersAsync(app, seeded, opts, hot: true),
        "batch" => await Load.BatchAsync(app, seeded, opts),
        _ => throw new ArgumentException($"unknown scenario {scenario}"),
    };
    if (receiver is not null) line += await receiver.SummaryAsync(opts, app);
    results.Add(line);
    Console.WriteLine(line);
}
Console.WriteLine();
foreach (var line in results) Console.WriteLine("RESULT " + line);

sealed record Args(string Provider, string Connection, string AppDll, int Accounts, int Clients, int Seconds, int Warmup, int BatchSize, string[] Scenarios, string SqliteSynchronous, bool Notifications,
    double Rate, int DrainSeconds, IReadOnlyList<(string Key, string Value)> AppSettings)
{
    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    public static Args Parse(string[] a)
    {
        string Get(string name, string fallback) { var i = Array.IndexOf(a, "--" + name); return i >= 0 && i + 1 < a.Length ? a[i + 1] : fallback; }
        var root = FindRoot();
        return new Args(
            Get("provider", "Sqlite"),
            Get("connection", ""),
            Get("app", Path.Combine(root, "src/PayTrack/bin/Release/net10.0/PayTrack.dll")),
            int.Parse(Get("accounts", "10000"), CultureInfo.InvariantCulture),
            int.Parse(Get("clients", "32"), CultureInfo.InvariantCulture),
            int.Parse(Get("seconds", "15"), CultureInfo.InvariantCulture),
            int.Parse(Get("warmup", "3"), CultureInfo.InvariantCulture),
            int.Parse(Get("batch-size", "100"), CultureInfo.InvariantCulture),
            Get("scenarios", "spread,hot,batch").Split(','),
            Get("sqlite-synchronous", "FULL"),
            // on: notifications (in-app + e-mail to the pickup folder) and one webhook per user for transfer.succeeded,
            // delivered to a receiver in this process that measures commit-to-delivery lag. off: both switched off.
            Get("notifications", "off") == "on",
            // paced load: requests/s in all (0: as fast as the clients go)
            double.Parse(Get("rate", "0"), CultureInfo.InvariantCulture),
            int.Parse(Get("drain-seconds", "300"), CultureInfo.InvariantCulture),
            // --env Key=Value (repeatable): extra settings for the app, e.g. --env Outbox__BatchSize=200
            a.Select((v, i) => (v, i)).Where(x => x.v == "--env" && x.i + 1 < a.Length).Select(x => a[x.i + 1].Split('=', 2))
                .Where(kv => kv.Length == 2).Select(kv => (kv[0], kv[1])).ToList());
    }

    static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "PayTrack.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? Directory.GetCurrentDirectory();
    }
}

/// <summary>The PayTrack server under test, as its own process on a free loopback port.</summary>
sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private AppProcess(Process p, string baseUrl, string connection, string dataDir) { _process = p; BaseUrl = baseUrl; Connection = connection; DataDir = dataDir; }
    public string BaseUrl { get; }
    public string Connection { get; }
    public string DataDir { get; }

    public static async Task<AppProcess> StartAsync(Args opts, string scenario)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "paytrack-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        string connection;
        if (opts.IsPostgres)
        {
            var name = "bench_" + scenario + "_" + Guid.NewGuid().ToString("N")[..6];
            await using (var admin = new Npgsql.NpgsqlConnection(opts.Connection))
            {
                await admin.OpenAsync();
                await using var cmd = admin.CreateCommand();
                cmd.CommandText = $"CREATE DATABASE {name}";
                await cmd.ExecuteNonQueryAsync();
            }
            connection = new Npgsql.NpgsqlConnectionStringBuilder(opts.Connection) { Database = name, MaxPoolSize = 100 }.ConnectionString;
        }
        else connection = $"Data Source={Path.Combine(dataDir, "bench.db")}";

        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [opts.AppDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(opts.AppDll)!,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Database__Provider"] = opts.Provider;
        psi.Environment["ConnectionStrings__Default"] = connection;
        psi.Environment["Database__DataDirectory"] = dataDir;
        psi.Environment["RateLimits__Enabled"] = "false";
        psi.Environment["Database__SqliteSynchronous"] = opts.SqliteSynchronous;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__PayTrack.Infrastructure.Web.RequestLoggingMiddleware"] = "Warning";
        psi.Environment["Notifications__Enabled"] = opts.Notifications ? "true" : "false";
        psi.Environment["Webhooks__Enabled"] = opts.Notifications ? "true" : "false";
        psi.Environment["Webhooks__AllowPrivateNetworks"] = "true";
        foreach (var (key, value) in opts.AppSettings) psi.Environment[key] = value;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } d && d.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)) Console.Error.WriteLine("app: " + d); };
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrEmpty(e.Data)) Console.Error.WriteLine("app: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, $"http://127.0.0.1:{port}", connection, dataDir);
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            try { if ((await http.GetAsync(app.BaseUrl + "/health/ready")).IsSuccessStatusCode) return app; }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException("PayTrack exited during start-up");
            await Task.Delay(100);
        }
        throw new TimeoutException("PayTrack did not become ready");
    }

    static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process.Dispose();
        try { Directory.Delete(DataDir, true); } catch (IOException) { }
    }
}

/// <summary>Users, wallets and their opening balances, written through the app's own EF model as balanced journal entries.</summary>
sealed record Seeded(List<(string Email, List<Guid> Accounts)> Users);

static class Seed
{
    public const string Password = "bench-password-123";

    public static async Task<Seeded> RunAsync(Args opts, AppProcess app, string scenario)
    {
        var sw = Stopwatch.StartNew();
        var options = new DbContextOptionsBuilder<PayTrackDb>();
        if (opts.IsPostgres) options.UseNpgsql(app.Connection); else options.UseSqlite(app.Connection);
        await using var db = new PayTrackDb(options.Options);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = DateTime.UtcNow;
        var hash = new PasswordHasher<User>().HashPassword(new User(), Password);
        var userCount = scenario == "spread" ? opts.Clients : 2;
        var accountCount = scenario == "spread" ? opts.Accounts : 2;
        const long opening = 1_000_000_00; // 1,000,000.00 each

        var provider = new Account { Id = Guid.CreateVersion7(), Name = "provider:USD", SystemKey = "provider:USD", Kind = "system", Currency = "USD", CreatedAt = now, UpdatedAt = now, BalanceMinor = -opening * accountCount };
        db.Accounts.Add(provider);
        var users = new List<(string, List<Guid>)>();
        for (var u = 0; u < userCount; u++)
        {
            var user = new User
            {
                Id = Guid.CreateVersion7(), Email = $"bench{u}@example.com", NormalizedEmail = $"bench{u}@example.com", DisplayName = $"Bench {u}",
                DefaultCurrency = "USD", PasswordHash = hash, Role = u == 0 ? "admin" : "user", Status = "active", CreatedAt = now, UpdatedAt = now,
            };
            db.Users.Add(user);
            users.Add((user.Email, []));
        }
        var userIds = db.ChangeTracker.Entries<User>().Select(e => e.Entity.Id).ToList();
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(); // users before their wallets: EF does not know these foreign keys
        var postings = new List<Posting>();
        for (var i = 0; i < accountCount; i++)
        {
            var owner = i % userCount;
            var account = new Account { Id = Guid.CreateVersion7(), UserId = userIds[owner], Name = i < userCount ? "Main" : $"W{i}", Currency = "USD", Kind = "wallet", CreatedAt = now, UpdatedAt = now, BalanceMinor = opening };
            db.Accounts.Add(account);
            users[owner].Item2.Add(account.Id);
            var entry = new JournalEntry { Id = Guid.CreateVersion7(), Kind = "deposit", ReferenceId = Guid.CreateVersion7(), Currency = "USD", Description = "opening balance", CreatedAt = now };
            db.JournalEntries.Add(entry);
            postings.Add(new Posting { Id = Guid.CreateVersion7(), EntryId = entry.Id, AccountId = provider.Id, AmountMinor = -opening, BalanceAfterMinor = -opening * (i + 1), CreatedAt = now });
            postings.Add(new Posting { Id = Guid.CreateVersion7(), EntryId = entry.Id, AccountId = account.Id, AmountMinor = opening, BalanceAfterMinor = opening, CreatedAt = now });
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();
        db.Postings.AddRange(postings);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();
        Console.WriteLine($"seeded {userCount} users, {accountCount} wallets in {sw.Elapsed.TotalSeconds:0.0} s");
        return new Seeded(users);
    }

    /// <summary>One webhook per user, subscribed to transfer.succeeded, pointing at the lag receiver.</summary>
    public static async Task WebhooksAsync(Args opts, AppProcess app, string url)
    {
        var options = new DbContextOptionsBuilder<PayTrackDb>();
        if (opts.IsPostgres) options.UseNpgsql(app.Connection); else options.UseSqlite(app.Connection);
        await using var db = new PayTrackDb(options.Options);
        var now = DateTime.UtcNow;
        foreach (var id in await db.Users.Select(u => u.Id).ToListAsync())
            db.Webhooks.Add(new Webhook { Id = Guid.CreateVersion7(), UserId = id, Url = url, Events = "transfer.succeeded", Secret = "whsec_" + Convert.ToBase64String(new byte[24]), Status = "active", CreatedAt = now });
        await db.SaveChangesAsync();
    }
}

static class Load
{
    sealed record Client(HttpClient Http, RawHttp Raw, List<Guid> Accounts);

    static async Task<List<Client>> SignInAsync(AppProcess app, Seeded seeded, int clients)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var list = new List<Client>();
        var tokens = new Dictionary<string, string>();
        using var anon = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        for (var i = 0; i < clients; i++)
        {
            var (email, accounts) = seeded.Users[i % seeded.Users.Count];
            if (!tokens.TryGetValue(email, out var token))
            {
                var res = await anon.PostAsJsonAsync("/api/v1/auth/token", new { email, password = Seed.Password });
                res.EnsureSuccessStatusCode();
                token = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
                tokens[email] = token;
            }
            var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(app.BaseUrl) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            list.Add(new Client(http, new RawHttp(new Uri(app.BaseUrl), token), accounts));
        }
        return list;
    }

    public static async Task<string> TransfersAsync(AppProcess app, Seeded seeded, Args opts, bool hot)
    {
        var clients = await SignInAsync(app, seeded, opts.Clients);
        var all = seeded.Users.SelectMany(u => u.Accounts).ToArray();
        var (rate, p50, p99, counts) = await RunAsync(clients, opts, async (client, rnd) =>
        {
            var from = client.Accounts[rnd.Next(client.Accounts.Count)];
            Guid to;
            do { to = all[rnd.Next(all.Length)]; } while (to == from);
            // A plain HTTP/1.1 client on its own keep-alive connection: the load generator shares the two
            // cores with the app and the database, so it should cost as little as possible.
            var status = await client.Raw.PostJsonAsync("/api/v1/transfers", Guid.NewGuid().ToString(),
                $"{{\"fromAccountId\":\"{from}\",\"toAccountId\":\"{to}\",\"amount\":\"0.01\"}}");
            return (status, 1);
        });
        var name = hot ? "2 hot accounts" : $"{opts.Accounts:N0} accounts";
        return $"{Label(opts),-8} single transfers, {name,-16}, {opts.Clients} clients: {rate,8:N0} transfers/s  p50 {p50,6:0.0} ms  p99 {p99,6:0.0} ms  statuses {counts}";
    }

    public static async Task<string> BatchAsync(AppProcess app, Seeded seeded, Args opts)
    {
        var batchClients = Math.Max(2, opts.Clients / 8);
        var clients = await SignInAsync(app, seeded, batchClients);
        var all = seeded.Users.SelectMany(u => u.Accounts).ToArray();
        var (rate, p50, p99, counts) = await RunAsync(clients, opts, async (client, rnd) =>
        {
            var items = Enumerable.Range(0, opts.BatchSize).Select(_ =>
            {
                var from = client.Accounts[rnd.Next(client.Accounts.Count)];
                var to = all.First(a => a != from);
                return new { fromAccountId = from, toAccountId = to, amount = "0.01" };
            }).ToArray();
            using var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/transfers/batch") { Content = JsonContent.Create(new { transfers = items }) };
            req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var res = await client.Http.SendAsync(req);
            return ((int)res.StatusCode, opts.BatchSize);
        });
        return $"{Label(opts),-8} batch of {opts.BatchSize}, 2 hot accounts, {batchClients} clients: {rate,8:N0} transfers/s  p50 {p50,6:0.0} ms  p99 {p99,6:0.0} ms per batch  statuses {counts}";
    }

    static string Label(Args opts) => opts.IsPostgres ? "Postgres" : $"Sqlite/{opts.SqliteSynchronous.ToLowerInvariant()}";

    static async Task<(double Rate, double P50, double P99, string Counts)> RunAsync(List<Client> clients, Args opts, Func<Client, Random, Task<(int Status, int Transfers)>> call)
    {
        var latencies = new List<double>[clients.Count];
        var statusCounts = new Dictionary<int, int>[clients.Count];
        var transfers = new long[clients.Count];
        var warmupEnd = Stopwatch.GetTimestamp() + (long)(opts.Warmup * Stopwatch.Frequency);
        var end = warmupEnd + (long)(opts.Seconds * Stopwatch.Frequency);
        // --rate N: a paced load of N requests/s in all (each client one every clients/N seconds, on a fixed
        // schedule); latency then counts from the scheduled moment, so a stall shows instead of slowing the load.
        var interval = opts.Rate > 0 ? (long)(clients.Count / opts.Rate * Stopwatch.Frequency) : 0;
        var first = Stopwatch.GetTimestamp();
        await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
        {
            var rnd = new Random(i);
            latencies[i] = new List<double>(100_000);
            statusCounts[i] = [];
            var due = first + interval * i / Math.Max(1, clients.Count);
            while (true)
            {
                var start = Stopwatch.GetTimestamp();
                if (interval > 0)
                {
                    if (due > start) await Task.Delay(TimeSpan.FromSeconds((due - start) / (double)Stopwatch.Frequency));
                    start = due;
                    due += interval;
                }
                if (start >= end) break;
                var (status, n) = await call(client, rnd);
                var stop = Stopwatch.GetTimestamp();
                if (start < warmupEnd) continue;
                latencies[i].Add((stop - start) * 1000.0 / Stopwatch.Frequency);
                statusCounts[i][status] = statusCounts[i].GetValueOrDefault(status) + 1;
                if (status is 200 or 201) transfers[i] += n;
            }
        })));
        var lat = latencies.SelectMany(l => l).Order().ToArray();
        double Pct(double p) => lat.Length == 0 ? double.NaN : lat[Math.Min(lat.Length - 1, (int)(p * lat.Length))];
        var counts = string.Join(" ", statusCounts.SelectMany(d => d).GroupBy(kv => kv.Key).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Sum(kv => kv.Value)}"));
        return (transfers.Sum() / (double)opts.Seconds, Pct(0.50), Pct(0.99), counts);
    }
}

/// <summary>A minimal HTTP/1.1 client for one keep-alive connection: writes a POST, reads the status and skips the body.</summary>
sealed class RawHttp(Uri baseUri, string token)
{
    private System.Net.Sockets.Socket? _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];

    public async Task<int> PostJsonAsync(string path, string idempotencyKey, string json)
    {
        if (_socket is null)
        {
            _socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await _socket.ConnectAsync(baseUri.Host, baseUri.Port);
        }
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        var head = System.Text.Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: {idempotencyKey}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        await _socket.SendAsync(head.Concat(body).ToArray());

        var filled = 0;
        int headerEnd;
        while ((headerEnd = IndexOf(_buffer, filled, "\r\n\r\n"u8)) < 0)
        {
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(filled));
            if (n == 0) throw new IOException("connection closed");
            filled += n;
        }
        var headers = System.Text.Encoding.ASCII.GetString(_buffer, 0, headerEnd);
        var status = int.Parse(headers.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var lengthAt = headers.IndexOf("\r\nContent-Length:", StringComparison.OrdinalIgnoreCase);
        var bodyStart = headerEnd + 4;
        if (lengthAt >= 0)
        {
            var valueStart = lengthAt + "\r\nContent-Length:".Length;
            var valueEnd = headers.IndexOf('\r', valueStart);
            var length = int.Parse(headers.AsSpan(valueStart, (valueEnd < 0 ? headers.Length : valueEnd) - valueStart).Trim(), CultureInfo.InvariantCulture);
            while (filled - bodyStart < length)
            {
                var n = await _socket.ReceiveAsync(_buffer.AsMemory(filled));
                if (n == 0) throw new IOException("connection closed");
                filled += n;
            }
        }
        else if (headers.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            // The last chunk is "0" on a line of its own, after the previous chunk's CRLF (or first, for an empty body).
            while (!_buffer.AsSpan(bodyStart, filled - bodyStart).StartsWith("0\r\n\r\n"u8)
                && _buffer.AsSpan(bodyStart, filled - bodyStart).IndexOf("\r\n0\r\n\r\n"u8) < 0)
            {
                var n = await _socket.ReceiveAsync(_buffer.AsMemory(filled));
                if (n == 0) throw new IOException("connection closed");
                filled += n;
            }
        }
        return status;
    }

    private static int IndexOf(byte[] data, int length, ReadOnlySpan<byte> needle) => data.AsSpan(0, length).IndexOf(needle);
}

/// <summary>
/// A webhook receiver in the benchmark process: answers 200 at once and records, per delivery, the lag
/// from the event's commit (the payload's timestamp) to its arrival. Like the load generator it speaks
/// HTTP/1.1 over plain sockets (keep-alive, Content-Length bodies), so its own cost stays small beside
/// the server's on the same cores; it does not check signatures (the tests do, with an independent library).
/// </summary>
sealed class LagReceiver : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private System.Collections.Concurrent.ConcurrentQueue<double> _lags = new();
    public string Url { get; private set; } = "";

    private LagReceiver(System.Net.Sockets.TcpListener listener) => _listener = listener;

    public static Task<LagReceiver> StartAsync()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start(512);
        var receiver = new LagReceiver(listener) { Url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook" };
        _ = Task.Run(receiver.AcceptAsync);
        return Task.FromResult(receiver);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            System.Net.Sockets.Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch { return; }
            socket.NoDelay = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private static readonly byte[] Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    private async Task ServeAsync(System.Net.Sockets.Socket socket)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                int headerEnd;
                while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (n == 0) return;
                    filled += n;
                }
                var head = System.Text.Encoding.ASCII.GetString(buffer, 0, headerEnd);
                var lengthAt = head.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
                var length = 0;
                if (lengthAt >= 0)
                {
                    var lineEnd = head.IndexOf('\r', lengthAt);
                    length = int.Parse(head.AsSpan(lengthAt + 15, (lineEnd < 0 ? head.Length : lineEnd) - lengthAt - 15).Trim(), CultureInfo.InvariantCulture);
                }
                var total = headerEnd + 4 + length;
                while (filled < total)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (n == 0) return;
                    filled += n;
                }
                var body = buffer.AsSpan(headerEnd + 4, length);
                var at = body.IndexOf("\"timestamp\":\""u8);
                if (at >= 0)
                {
                    var value = body[(at + 13)..];
                    var end = value.IndexOf((byte)'"');
                    if (end > 0 && DateTime.TryParse(System.Text.Encoding.ASCII.GetString(value[..end]), CultureInfo.InvariantCulture,
                            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var stamp))
                        _lags.Enqueue((DateTime.UtcNow - stamp).TotalMilliseconds);
                }
                await socket.SendAsync(Ok, System.Net.Sockets.SocketFlags.None, _stop.Token);
                buffer.AsSpan(total, filled - total).CopyTo(buffer);
                filled -= total;
            }
        }
        catch { /* the sender closed the connection, or the benchmark ends */ }
        finally { socket.Dispose(); }
    }

    public void Reset() => _lags = new();


    /// <summary>Waits for the outbox to drain (up to 5 minutes), then reports the lags.</summary>
    public async Task<string> SummaryAsync(Args opts, AppProcess app)
    {
        var loadEnded = Stopwatch.StartNew();
        var options = new DbContextOptionsBuilder<PayTrackDb>();
        if (opts.IsPostgres) options.UseNpgsql(app.Connection); else options.UseSqlite(app.Connection);
        await using var db = new PayTrackDb(options.Options);
        int pending;
        while ((pending = await db.OutboxMessages.CountAsync(m => m.Status == "pending")) > 0 && loadEnded.Elapsed < TimeSpan.FromSeconds(opts.DrainSeconds)) await Task.Delay(500);
        var drained = loadEnded.Elapsed.TotalSeconds;
        var lags = _lags.Order().ToArray();
        double Pct(double p) => lags.Length == 0 ? double.NaN : lags[Math.Min(lags.Length - 1, (int)(p * lags.Length))];
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.DeliveredAt != null).Select(m => new { m.Handler, m.CreatedAt, m.DeliveredAt }).ToListAsync();
        var perHandler = string.Join(", ", rows.GroupBy(r => r.Handler).OrderBy(g => g.Key).Select(g =>
        {
            var l = g.Select(r => (r.DeliveredAt!.Value - r.CreatedAt).TotalMilliseconds).Order().ToArray();
            return $"{g.Key} {l.Length} p99 {l[Math.Min(l.Length - 1, (int)(0.99 * l.Length))]:0} ms";
        }));
        var dead = await db.OutboxMessages.CountAsync(m => m.Status == "dead");
        return string.Create(CultureInfo.InvariantCulture,
            $"; webhooks received {lags.Length}, commit-to-delivery p50 {Pct(0.5):0} ms p99 {Pct(0.99):0} ms max {(lags.Length == 0 ? 0 : lags[^1]):0} ms; outbox drained {drained:0.0} s after the load ({pending} pending, {dead} dead); per handler: {perHandler}");
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
