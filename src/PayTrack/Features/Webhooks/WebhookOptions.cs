namespace PayTrack.Features.Webhooks;

/// <summary>Webhook settings (section <c>Webhooks</c>; ADR 0042).</summary>
public sealed class WebhookOptions
{
    /// <summary>Off: events fan out to no webhook (deliveries already queued still go out).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Allow URLs on loopback, private and link-local addresses (a receiver on the same machine or network). Off by default.</summary>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary>How long one attempt may take, connection included.</summary>
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>
    /// How long a first attempt, made while the event's round waits, may take. A receiver slower than that (or
    /// failing) gets its attempts from the retry loop instead, with <see cref="TimeoutSeconds"/> each, and its next
    /// events go there straight away for <see cref="SlowForSeconds"/>: one slow receiver does not hold up the others.
    /// </summary>
    public int FirstAttemptTimeoutSeconds { get; set; } = 3;
    /// <summary>How long a webhook whose last attempt failed or was slow gets its events only through the retry loop.</summary>
    public int SlowForSeconds { get; set; } = 300;
    /// <summary>Multiplies the retry schedule (tests shorten it; 1 in production).</summary>
    public double RetryScale { get; set; } = 1.0;

    /// <summary>The Standard Webhooks schedule: after the first attempt, retries 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later.</summary>
    public static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Attempts in all: the first and one per step of <see cref="Schedule"/>.</summary>
    public static int MaxAttempts => Schedule.Length + 1;

    /// <summary>The wait after failed attempt <paramref name="attempts"/> (1-based).</summary>
    public TimeSpan RetryDelay(int attempts) => Schedule[Math.Clamp(attempts - 1, 0, Schedule.Length - 1)] * RetryScale;
}

/// <summary>The event types a webhook can subscribe to (the contract's list); <c>*</c> is all of them.</summary>
public static class WebhookEventTypes
{
    public const string All = "*";

    public static readonly string[] Known =
    [
        "transfer.succeeded", "transfer.failed", "deposit.succeeded", "deposit.failed", "withdrawal.succeeded", "withdrawal.failed",
        "expense.created", "expense.updated", "expense.deleted", "group.expense.created", "settlement.created",
        "expense_report.draft", "expense_report.submitted", "expense_report.approved", "expense_report.rejected", "expense_report.reimbursed",
    ];

    public static bool IsKnown(string type) => Known.Contains(type, StringComparer.Ordinal);

    public static bool Matches(string subscribed, string type) =>
        subscribed.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(s => s == All || s == type);
}

/// <summary>
/// Which webhooks failed or were slow lately (in this instance): their events skip the first attempt made while
/// a round waits and go to the retry loop, until an attempt succeeds or <see cref="WebhookOptions.SlowForSeconds"/> pass.
/// </summary>
public sealed class WebhookHealth(WebhookOptions options)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTime> _troubled = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _busy = new();

    /// <summary>Claims the right to send to a webhook from the retry loop: one webhook, one attempt in flight (in this instance).</summary>
    public bool TryBeginRetries(Guid webhookId) => _busy.TryAdd(webhookId, 0);

    public void EndRetries(Guid webhookId) => _busy.TryRemove(webhookId, out _);

    public bool IsTroubled(Guid webhookId, DateTime now) =>
        _troubled.TryGetValue(webhookId, out var since) && (now - since).TotalSeconds < options.SlowForSeconds;

    /// <summary>Records how an attempt went: 2xx (and 410, which disables it) clears the webhook, anything else marks it.</summary>
    public void Record(Guid webhookId, WebhookAttempt attempt, DateTime now)
    {
        if (attempt.Succeeded || attempt.StatusCode == 410) _troubled.TryRemove(webhookId, out _);
        else _troubled[webhookId] = now;
    }
}
