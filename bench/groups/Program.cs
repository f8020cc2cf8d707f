using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Domain.Groups;

// Groups benchmark. Usage:
//   dotnet PayTrack.Bench.Groups.dll --provider postgres|sqlite --connection "<connection string>"
//        --app src/PayTrack/bin/Release/net10.0/PayTrack.dll [--members 50] [--expenses 100000] [--clients 16] [--creates 1600]
// Registers the members and builds the group over HTTP (invites), seeds the expenses through the app's model
// (PayTrackDb entities, shares from Splits.Allocate, running totals summed from the same parts), then measures
// over HTTP: balances, expense creation with concurrent clients, and the settle-up planner in process.

var opts = Args.Parse(args);
return await new Bench(opts).RunAsync();

sealed record Args(string Provider, string Connection, string App, int Members, int Expenses, int Clients, int Creates, int Iterations)
{
    public bool Postgres => Provider == "postgres";

    public static Args Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
        }
        int Int(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
        return new Args(Get("provider").ToLowerInvariant(), Get("connection"), Get("app"), Int("members", "50"), Int("expenses", "100000"),
            Int("clients", "16"), Int("creates", "1600"), Int("iterations", "300"));
    }
}

sealed class Bench(Args args)
{
    private const string Password = "bench password 1234";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly List<string> _results = [];
    private Process? _app;
    private HttpClient _http = null!;

    public async Task<int> RunAsync()
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine($"# PayTrack groups benchmark — {args.Provider}, {args.Members} members, {args.Expenses:N0} expenses");
        var dataDir = Directory.CreateTempSubdirectory("paytrack-bench-groups-").FullName;
        try
        {
            await RunProcessAsync(["migrate"], dataDir);
            var port = FreePort();
            _app = StartApp(port, dataDir);
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            await WaitReadyAsync();

            var sw = Stopwatch.StartNew();
            var members = new List<(Guid Id, string Token)>();
            for (var i = 0; i < args.Members; i++) members.Add(await RegisterAsync($"member{i}-{Guid.NewGuid():N}@bench.example"));
            var owner = members[0];
            var group = await PostAsync<JsonElement>("/api/v1/groups", owner.Token, new { name = "Bench group", currency = "USD" });
            var groupId = group.GetProperty("id").GetGuid();
            foreach (var m in members.Skip(1))
            {
                var email = await EmailAsync(m.Token);
                var invite = await PostAsync<JsonElement>($"/api/v1/groups/{groupId}/invites", owner.Token, new { email });
                var url = invite.GetProperty("url").GetString()!;
                await PostAsync<JsonElement>($"/api/v1/invites/{url[(url.LastIndexOf('/') + 1)..]}/accept", m.Token, null);
            }
            Console.WriteLine($"members and group over HTTP: {sw.Elapsed.TotalSeconds:F1} s");

            sw.Restart();
            await SeedAsync(groupId, members.Select(m => m.Id).ToArray());
            Console.WriteLine($"seeded {args.Expenses:N0} expenses through the model: {sw.Elapsed.TotalSeconds:F1} s");

            await MeasureBalancesAsync(groupId, members);
            await MeasureCreatesAsync(groupId, members);
            MeasurePlanner();
            await CheckExactAsync(groupId, owner.Token);

            Console.WriteLine();
            Console.WriteLine("| What | p50 | p95 | p99 | Target |");
            Console.WriteLine("|---|---|---|---|---|");
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

    // ---------------------------------------------------------------- seeding through the model

    private PayTrackDb OpenDb()
    {
        var b = new DbContextOptionsBuilder<PayTrackDb>();
        if (args.Postgres) b.UseNpgsql(args.Connection); else b.UseSqlite(args.Connection);
        return new PayTrackDb(b.Options);
    }

    /// <summary>
    /// Expenses of 2–8 sharers (equal, shares or percent), one or two payers, over two years; each stored as
    /// CreateGroupExpense stores it, and the members' running totals set to the sums of the same parts.
    /// </summary>
    private async Task SeedAsync(Guid groupId, Guid[] members)
    {
        var rng = new Random(2026);
        var usd = Currency.Get("USD");
        var totals = members.ToDictionary(m => m, _ => (Paid: 0L, Owed: 0L));
        var now = DateTime.UtcNow;
        const int batch = 2000;
        for (var done = 0; done < args.Expenses; done += batch)
        {
            await using var db = OpenDb();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = done; i < Math.Min(args.Expenses, done + batch); i++)
            {
                var amount = new Money(rng.Next(100, 50_000), usd);
                var sharers = members.OrderBy(_ => rng.Next()).Take(rng.Next(2, 9)).ToArray();
                var (mode, parts) = (i % 3) switch
                {
                    0 => (SplitModes.Equal, sharers.Select(s => new SplitPart(s, null)).ToList()),
                    1 => (SplitModes.Shares, sharers.Select(s => new SplitPart(s, rng.Next(1, 4).ToString(Inv))).ToList()),
                    _ => (SplitModes.Percent, Percent(sharers, rng)),
                };
                if (!Splits.TryAllocate(amount, mode, parts, out var shares, out var error)) throw new InvalidOperationException(error);
                var payers = rng.Next(4) == 0 ? members.OrderBy(_ => rng.Next()).Take(2).ToArray() : [sharers[0]];
                var paid = Splits.Allocate(amount.Minor, payers.Select(p => (p, 1L)).ToList());
                var id = Guid.CreateVersion7();
                var expense = new GroupExpense
                {
                    Id = id, GroupId = groupId, Description = $"Expense {i}", AmountMinor = amount.Minor, Currency = "USD", Rate = "1", GroupAmountMinor = amount.Minor,
                    Date = new DateOnly(2025, 1, 1).AddDays(i % 700), SplitMode = mode, CreatedBy = payers[0], CreatedAt = now, UpdatedAt = now, Version = 1,
                    Parts = paid.Select(p => new GroupExpensePart { ExpenseId = id, Kind = GroupPartKinds.Payer, UserId = p.UserId, AmountMinor = p.Minor, GroupMinor = p.Minor })
                        .Concat(shares.Select(s => new GroupExpensePart
                        {
                            ExpenseId = id, Kind = GroupPartKinds.Share, UserId = s.UserId, AmountMinor = s.Minor, GroupMinor = s.Minor,
                            Value = parts.First(p => p.UserId == s.UserId).Value,
                        })).ToList(),
                };
                foreach (var p in paid) totals[p.UserId] = (totals[p.UserId].Paid + p.Minor, totals[p.UserId].Owed);
                foreach (var s in shares) totals[s.UserId] = (totals[s.UserId].Paid, totals[s.UserId].Owed + s.Minor);
                db.GroupExpenses.Add(expense);
            }
            await db.SaveChangesAsync();
        }
        await using (var db = OpenDb())
        {
            foreach (var (user, t) in totals)
                await db.GroupMembers.Where(m => m.GroupId == groupId && m.UserId == user)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.PaidMinor, t.Paid).SetProperty(m => m.OwedMinor, t.Owed));
            if (args.Postgres) await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }
    }

    private static List<SplitPart> Percent(Guid[] sharers, Random rng)
    {
        var left = 10_000;
        var parts = new List<SplitPart>();
        for (var i = 0; i < sharers.Length; i++)
        {
            var hundredths = i == sharers.Length - 1 ? left : rng.Next(0, left / 2 + 1);
            left -= hundredths;
            parts.Add(new SplitPart(sharers[i], (hundredths / 100m).ToString(Inv)));
        }
        return parts;
    }

    // ---------------------------------------------------------------- measurements

    private async Task MeasureBalancesAsync(Guid groupId, List<(Guid Id, string Token)> members)
    {
        var samples = new List<double>();
        for (var i = 0; i < args.Iterations + 20; i++)
        {
            var sw = Stopwatch.StartNew();
            await GetAsync($"/api/v1/groups/{groupId}/balances", members[i % members.Count].Token);
            if (i >= 20) samples.Add(sw.Elapsed.TotalMilliseconds);
        }
        Record($"Balances of {args.Members} members, {args.Expenses:N0} expenses (GET /groups/{{id}}/balances)", samples, "p95 ≤ 20 ms");
    }

    private async Task MeasureCreatesAsync(Guid groupId, List<(Guid Id, string Token)> members)
    {
        var perClient = Math.Max(1, args.Creates / args.Clients);
        var samples = new System.Collections.Concurrent.ConcurrentBag<double>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, args.Clients).Select(async c =>
        {
            var me = members[c % members.Count];
            var rng = new Random(c);
            for (var i = 0; i < perClient + 5; i++)
            {
                var sharers = members.OrderBy(_ => rng.Next()).Take(rng.Next(2, 9)).Select(m => new { userId = m.Id }).ToArray();
                var body = new { description = $"Client {c} #{i}", amount = (rng.Next(100, 50_000) / 100m).ToString(Inv), date = "2026-03-01", split = new { mode = "equal", parts = sharers } };
                var sw = Stopwatch.StartNew();
                await PostAsync<JsonElement>($"/api/v1/groups/{groupId}/expenses", me.Token, body);
                if (i >= 5) samples.Add(sw.Elapsed.TotalMilliseconds); // the first few warm up
            }
        }));
        var n = samples.Count;
        Record($"Expense create, {args.Clients} clients at once ({n} timed, {n / wall.Elapsed.TotalSeconds:F0}/s)", samples.ToList(), "—");
    }

    private void MeasurePlanner()
    {
        // Typical: 12 non-zero balances of random size (few subsets sum to zero, so the search prunes almost everything).
        Planner("Settle-up plan, 12 non-zero balances of random size (in process)", rng => rng.Next(-1_000_000, 1_000_000));
        // Hard: tiny balances, so very many subsets sum to zero and the exact search visits all 3^12 subset pairs.
        Planner("Settle-up plan, 12 non-zero balances in ±1..3 (in process, worst case of the search)", rng => rng.Next(1, 4) * (rng.Next(2) == 0 ? 1 : -1));
    }

    private void Planner(string what, Func<Random, int> value)
    {
        var rng = new Random(12);
        var samples = new List<double>();
        for (var run = 0; run < 1000; run++)
        {
            List<long> values;
            do
            {
                values = Enumerable.Range(0, 11).Select(_ => (long)value(rng)).Where(v => v != 0).ToList();
                values.Add(-values.Sum());
            } while (values.Count != 12 || values[^1] == 0);
            var balances = values.Select(v => (Guid.NewGuid(), v)).ToArray();
            var sw = Stopwatch.StartNew();
            var plan = SettleUp.Plan(balances);
            var ms = sw.Elapsed.TotalMilliseconds;
            if (run >= 50) samples.Add(ms);
            if (plan.Count > 11) throw new InvalidOperationException("plan too long");
        }
        Record(what, samples, "—");
    }

    /// <summary>After all the concurrent writes the balances still sum to exactly zero.</summary>
    private async Task CheckExactAsync(Guid groupId, string token)
    {
        var balances = await GetAsync($"/api/v1/groups/{groupId}/balances", token);
        var sum = balances.GetProperty("members").EnumerateArray().Sum(m => decimal.Parse(m.GetProperty("balance").GetString()!, Inv));
        Console.WriteLine($"balances sum to {sum} (must be 0); suggested transfers: {balances.GetProperty("suggested").GetArrayLength()}");
        if (sum != 0) throw new InvalidOperationException("Balances do not sum to zero.");
    }

    private void Record(string what, List<double> samples, string target)
    {
        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        var line = $"| {what} | {Ms(P(0.50))} | {Ms(P(0.95))} | {Ms(P(0.99))} | {target} |";
        _results.Add(line);
        Console.WriteLine(line);
    }

    private static string Ms(double ms) => ms < 1 ? $"{ms * 1000:F0} µs" : $"{ms:F1} ms";

    // ---------------------------------------------------------------- HTTP and the app process

    private async Task<(Guid Id, string Token)> RegisterAsync(string email)
    {
        var res = await _http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, displayName = email[..8] });
        res.EnsureSuccessStatusCode();
        var id = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var token = await _http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = Password });
        token.EnsureSuccessStatusCode();
        return (id, (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
    }

    private async Task<string> EmailAsync(string token) => (await GetAsync("/api/v1/me", token)).GetProperty("email").GetString()!;

    private async Task<JsonElement> GetAsync(string url, string token)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var res = await _http.SendAsync(req);
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
        return await res.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<T> PostAsync<T>(string url, string token, object? body)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var res = await _http.SendAsync(req);
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
        return (await res.Content.ReadFromJsonAsync<T>())!;
    }

    private Process StartApp(int port, string dataDir)
    {
        var p = Process.Start(AppStartInfo(["--urls", $"http://127.0.0.1:{port}"], dataDir))!;
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
}
