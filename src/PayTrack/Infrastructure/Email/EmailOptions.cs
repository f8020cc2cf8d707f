namespace PayTrack.Infrastructure.Email;

/// <summary>E-mail settings (section <c>Email</c>). With none, messages are written as .eml files to <c>&lt;DataDirectory&gt;/mail</c>.</summary>
public sealed class EmailOptions
{
    public const string Pickup = "pickup", SmtpMode = "smtp";

    /// <summary><c>pickup</c> (default) or <c>smtp</c>.</summary>
    public string Mode { get; set; } = Pickup;
    /// <summary>Where pickup mode writes; default <c>&lt;DataDirectory&gt;/mail</c>.</summary>
    public string? PickupDirectory { get; set; }
    /// <summary>The address links in e-mails start with (the unsubscribe link), e.g. <c>https://paytrack.example.org</c>.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5080";
    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>SMTP relay settings (section <c>Email:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>Require STARTTLS (port 587); off: plain (a local relay) — implicit TLS when the port is 465.</summary>
    public bool StartTls { get; set; }
    public string From { get; set; } = "PayTrack <paytrack@localhost>";
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>One e-mail as the outbox stores it: rendered when it was queued, so every attempt sends the same message.</summary>
public sealed record OutgoingEmail(string To, string ToName, string Subject, string Text, string Html, string? UnsubscribeUrl);
