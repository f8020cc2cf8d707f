namespace PayTrack.Data;

/// <summary>An in-app notification: written by the notifications outbox handler, read and marked read by its user.</summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>One of <c>NotificationKinds.All</c>, e.g. <c>transfer.received</c>.</summary>
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    /// <summary>Where the web UI takes the reader (a path), if anywhere.</summary>
    public string? Link { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
    /// <summary>The outbox message that produced it (with user and kind, unique: a redelivery adds nothing).</summary>
    public Guid SourceId { get; set; }
}

/// <summary>A user's notification settings; a user without a row gets every kind on every channel.</summary>
public sealed class NotificationPreference
{
    public Guid UserId { get; set; }
    /// <summary>Kinds turned off for e-mail, comma-separated.</summary>
    public string EmailOff { get; set; } = "";
    /// <summary>Kinds turned off in the app, comma-separated.</summary>
    public string InAppOff { get; set; } = "";
    /// <summary>Culture for e-mails (numbers, dates), e.g. <c>de-DE</c>; null: <c>en-US</c>.</summary>
    public string? Locale { get; set; }
    /// <summary>IANA time zone for dates in e-mails; null: UTC.</summary>
    public string? TimeZone { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An outgoing webhook subscription (Standard Webhooks).</summary>
public sealed class Webhook
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Url { get; set; } = "";
    /// <summary>Event types, comma-separated, or <c>*</c>.</summary>
    public string Events { get; set; } = "";
    public string? Description { get; set; }
    /// <summary><c>whsec_</c> + base64 of the signing key.</summary>
    public string Secret { get; set; } = "";
    /// <summary><c>active</c> or <c>disabled</c> (the receiver answered 410).</summary>
    public string Status { get; set; } = "active";
    public string? DisabledReason { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One attempt to deliver one event to one webhook.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid WebhookId { get; set; }
    /// <summary>The <c>webhook-id</c> header: the same on every attempt of one event.</summary>
    public Guid MessageId { get; set; }
    public string EventType { get; set; } = "";
    public int Attempt { get; set; }
    public int? StatusCode { get; set; }
    public int DurationMs { get; set; }
    public string? Error { get; set; }
    /// <summary>When the next attempt is due; null when this one succeeded or was the last.</summary>
    public DateTime? NextAttemptAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
