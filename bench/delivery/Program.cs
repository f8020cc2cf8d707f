// What one delivery costs at the least, measured on PayTrack's own code, one part at a time:
//   http: signed webhook POSTs through WebhookSender (the app's client) to a receiver given by URL
//         (run.sh starts nginx and measures it with wrk too, for reference);
//   mail: notification e-mails through EmailTemplates and EmailSender in pickup mode (the app's path),
//         built in memory only, then written as .eml files.
// Each prints CPU microseconds per item of this process (user + kernel), from /proc via Process.
//   dotnet PayTrack.Bench.Delivery.dll http <url> [requests] [concurrency]
//   dotnet PayTrack.Bench.Delivery.dll mail <folder> [count]
using System.Diagnostics;
using System.Globalization;
using PayTrack.Features.Notifications;
using PayTrack.Features.Webhooks;
using PayTrack.Infrastructure.Email;

var mode = args.Length > 0 ? args[0] : "";
if (mode == "http")
{
    var url = args[1];
    var total = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200_000;
    var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 32;
    using var sender = new WebhookSender(new WebhookOptions { AllowPrivateNetworks = true }, TimeProvider.System);
    var secret = WebhookSender.NewSecret();
    const string body = """{"type":"transfer.succeeded","timestamp":"2026-11-28T09:55:00.123Z","data":{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","fromAccountId":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c","toAccountId":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d","amount":"12.34","currency":"EUR","description":"bench","createdAt":"2026-11-28T09:55:00.120Z"}}""";
    async Task OneAsync()
    {
        var attempt = await sender.SendAsync(url, secret, "msg_" + Guid.NewGuid().ToString("N"), body, CancellationToken.None);
        if (!attempt.Succeeded) throw new InvalidOperationException($"receiver answered {attempt.StatusCode}: {attempt.Error}");
    }
    for (var i = 0; i < 2_000; i++) await OneAsync(); // warm-up (JIT, connections)
    var (cpu, watch) = Start();
    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ => { while (Interlocked.Increment(ref next) <= total) await OneAsync(); }));
    Report($"webhook POSTs through WebhookSender, {concurrency} in flight", total, cpu, watch);
}
else if (mode == "mail")
{
    var folder = args[1];
    var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000;
    Directory.CreateDirectory(folder);
    var options = new EmailOptions();
    var sender = new EmailSender(options, folder);
    var content = new NotificationContent("Ann Example sent you €12.34", "Ann Example sent you €12.34 to your wallet Main.",
        [("Amount", "€12.34"), ("From", "Ann Example"), ("To wallet", "Main"), ("Reference", "Dinner on Friday"), ("When", "28 Nov 2026, 10:40")]);
    var email = EmailTemplates.RenderWithoutAccount(content, "bob@example.com", "http://localhost:5080/transfers/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    for (var i = 0; i < 2_000; i++) { using var ms = new MemoryStream(); sender.Build(Guid.NewGuid(), email).WriteTo(ms); }
    var (cpu, watch) = Start();
    for (var i = 0; i < count; i++) { using var ms = new MemoryStream(); sender.Build(Guid.NewGuid(), email).WriteTo(ms); }
    Report("e-mails built with MimeKit, in memory", count, cpu, watch);
    await sender.SendManyAsync(Enumerable.Range(0, 2_000).Select(_ => (Guid.NewGuid(), email)).ToList(), CancellationToken.None);
    (cpu, watch) = Start();
    for (var i = 0; i < count; i += 200)
        await sender.SendManyAsync(Enumerable.Range(0, Math.Min(200, count - i)).Select(_ => (Guid.NewGuid(), email)).ToList(), CancellationToken.None);
    Report("e-mails written to the pickup folder (built, written, renamed)", count, cpu, watch);
}
else
{
    Console.Error.WriteLine("usage: http <url> [requests] [concurrency] | mail <folder> [count]");
    return 2;
}
return 0;

static (TimeSpan Cpu, Stopwatch Watch) Start()
{
    var p = Process.GetCurrentProcess();
    p.Refresh();
    return (p.TotalProcessorTime, Stopwatch.StartNew());
}

static void Report(string what, int n, TimeSpan cpuBefore, Stopwatch watch)
{
    var p = Process.GetCurrentProcess();
    p.Refresh();
    var cpu = p.TotalProcessorTime - cpuBefore;
    Console.WriteLine(FormattableString.Invariant($"RESULT {what}: {n:N0} in {watch.Elapsed.TotalSeconds:0.00} s ({n / watch.Elapsed.TotalSeconds:N0}/s), CPU {cpu.TotalMicroseconds / n:0.0} µs each"));
}
