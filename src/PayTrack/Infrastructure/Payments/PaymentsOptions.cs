using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PayTrack.Infrastructure.Payments;

/// <summary>Payment provider settings; bound from the <c>Payments</c> section.</summary>
public sealed class PaymentsOptions
{
    /// <summary>The provider's API base URL. Empty: PayTrack starts its sandbox provider on a loopback port.</summary>
    public string? BaseUrl { get; set; }
    /// <summary>Port for the built-in sandbox (0: any free port).</summary>
    public int SandboxPort { get; set; }
    /// <summary>How long the sandbox waits before settling a payment.</summary>
    public int SandboxSettleDelayMs { get; set; } = 300;
    /// <summary>Shared secret for signed callbacks. Empty: generated at start (fine for the in-process sandbox).</summary>
    public string? WebhookSecret { get; set; }
    /// <summary>Where the provider sends callbacks. Empty: this server's own first listening address.</summary>
    public string? CallbackBaseUrl { get; set; }
    public int AttemptTimeoutMs { get; set; } = 2000;
    public int MaxRetries { get; set; } = 3;
    public int RetryBaseDelayMs { get; set; } = 100;
    public int BreakerBreakSeconds { get; set; } = 15;
    public int BreakerMinimumThroughput { get; set; } = 6;
    /// <summary>How often the reconciler looks for payments left pending, and how old they must be.</summary>
    public int ReconcileIntervalMs { get; set; } = 2000;
    public int ReconcileAfterMs { get; set; } = 3000;
    /// <summary>Callbacks older than this (by their signed timestamp) are refused.</summary>
    public int CallbackToleranceSeconds { get; set; } = 300;
}

/// <summary>HMAC-SHA256 signatures on provider callbacks: <c>PayTrack-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c> over <c>"{t}.{body}"</c>.</summary>
public sealed class CallbackSigner(byte[] secret)
{
    public const string Header = "PayTrack-Signature";

    public string Sign(string body, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(t, body))}";
    }

    /// <summary>True when the header's MAC matches the body and its timestamp is within the tolerance.</summary>
    public bool Verify(string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header)) return false;
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0].Trim() == "t") t = kv[1].Trim();
            else if (kv[0].Trim() == "v1") v1 = kv[1].Trim();
        }
        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(unix)).Duration() > tolerance) return false;
        byte[] given;
        try { given = Convert.FromHexString(v1); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, Mac(t, body));
    }

    private byte[] Mac(string t, string body) => HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(t + "." + body));
}
