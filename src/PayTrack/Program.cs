using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using PayTrack.Data;
using PayTrack.Features.Accounts;
using PayTrack.Features.Admin;
using PayTrack.Features.Audit;
using PayTrack.Features.Auth;
using PayTrack.Features.Budgets;
using PayTrack.Features.Categories;
using PayTrack.Features.ExchangeRates;
using PayTrack.Features.Expenses;
using PayTrack.Features.Groups;
using PayTrack.Features.Imports;
using PayTrack.Features.Me;
using PayTrack.Features.Notifications;
using PayTrack.Features.Payments;
using PayTrack.Features.Transfers;
using PayTrack.Features.Webhooks;
using PayTrack.Features.Receipts;
using PayTrack.Features.Reports;
using PayTrack.Features.Rules;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Live;
using PayTrack.Infrastructure.Observability;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;
using PayTrack.Infrastructure.Web;

// Bank files come in every code page (Windows-1250, KOI8-R, Shift_JIS…): make .NET's decoders for them available.
PayTrack.Features.Imports.Parsing.TextDecoding.RegisterCodePages();

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(RequestLimits.ConfigureKestrel);

builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
if (builder.Environment.IsProduction())
{
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddPayTrackDatabase(builder.Configuration, builder.Environment);
builder.Services.AddPayTrackProblems();
builder.Services.AddPayTrackAuth(builder.Configuration, builder.Environment);
builder.Services.AddPayTrackOpenApi();
builder.Services.AddPayTrackWebUi();
builder.Services.AddLedger(builder.Configuration);
builder.Services.AddOutbox(builder.Configuration);
builder.Services.AddNotifications(builder.Configuration, builder.Environment); // in-app, e-mail (ADR 0041)
builder.Services.AddWebhooks(builder.Configuration); // Standard Webhooks (ADR 0042)
// Live updates (SSE): one bus, in-process on SQLite, LISTEN/NOTIFY on PostgreSQL (ADR 0040); group changes reach it through the outbox.
builder.Services.AddLive(builder.Configuration);
builder.Services.AddSingleton<IOutboxHandler, GroupLiveUpdates>();
builder.Services.AddHealthChecks();
builder.Services.AddPayTrackMetrics(builder.Configuration);
// Expenses: default categories for new users, receipt files in <DataDirectory>/blobs.
builder.Services.AddScoped<IUserProvisioner, DefaultCategories>();
builder.Services.AddSingleton<ExchangeRateCache>();
builder.Services.AddSingleton<IBlobStore>(sp => new FileSystemBlobStore(Path.Combine(
    DatabaseSetup.ResolveDataDirectory(sp.GetRequiredService<DatabaseOptions>(), builder.Environment), "blobs")));
builder.Services.Configure<ForwardedHeadersOptions>(o =>
{
    o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
    // Trusted proxies come from configuration (ForwardedHeaders:KnownProxies); loopback is trusted by default.
    foreach (var proxy in builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
        o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
});

// Last, after everything that registers routing: 401/403 come before 415 (ADR 0028).
builder.Services.CheckMediaTypeAfterAuthentication();

var app = builder.Build();

if (args is ["migrate", ..])
{
    await app.Services.PrepareDatabaseAsync();
    Console.WriteLine("PayTrack database is up to date.");
    return;
}
if (app.Services.GetRequiredService<DatabaseOptions>().MigrateOnStartup)
    await app.Services.PrepareDatabaseAsync();

app.UseForwardedHeaders();
app.UseMiddleware<RequestLoggingMiddleware>();
app.UseExceptionHandler();
app.Use(RequestLimits.CheckShapeAsync);
app.UseStatusCodePages();
app.UsePayTrackMetrics(); // GET /metrics, loopback and Metrics:AllowedNetworks only (ADR 0033)
app.UseMiddleware<SecurityHeadersMiddleware>();
if (!app.Environment.IsDevelopment() && !app.Environment.IsEnvironment("Testing"))
{
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UsePayTrackWebUi();
app.UseStaticFiles();
// Explicit, after the status-code pages: re-executing /error/{code} must pick its endpoint again.
app.UseRouting();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.Use(RequestLimits.CheckJsonBodyAsync);
app.Use(PayTrack.Infrastructure.Idempotency.RequestFingerprint.BufferAsync);

// Operations and documentation
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapOpenApi();
app.UseSwaggerUI(o =>
{
    o.SwaggerEndpoint("/openapi/v1.json", "PayTrack API v1");
    o.RoutePrefix = "api-docs";
    o.DocumentTitle = "PayTrack API reference";
});

// Features
app.MapAuth();
app.MapMe();
app.MapAdmin();
app.MapAccounts();
app.MapTransfers();
app.MapPayments();
app.MapAudit();
app.MapCategories();
app.MapExpenses();
app.MapReceipts();
app.MapBudgets();
app.MapRules();
app.MapImports();
app.MapExchangeRates();
app.MapReports();
app.MapNotifications();
app.MapWebhooks();
app.MapGroups();

// Web UI: Razor Pages under Features/<Noun>/Pages (routes are in each page's @page line)
app.MapRazorPages();

app.Run();

/// <summary>The application's entry point; public for WebApplicationFactory.</summary>
public partial class Program;
