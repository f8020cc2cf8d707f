namespace PayTrack.Domain.Ledger;

/// <summary>
/// A transfer's life: created as <c>success</c> or <c>failed</c> (refused), or as a <c>pending</c>
/// hold that ends <c>success</c> (captured), <c>voided</c> or <c>expired</c>. Every end state is final.
/// </summary>
public static class TransferStatus
{
    public const string Pending = "pending";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Voided = "voided";
    public const string Expired = "expired";

    public static readonly string[] All = [Pending, Success, Failed, Voided, Expired];

    public static bool IsFinal(string status) => status != Pending;

    /// <summary>The state after <paramref name="action"/> (capture, void, expire), or a 409 refusal.</summary>
    public static string Next(string current, string action) => (current, action) switch
    {
        (Pending, "capture") => Success,
        (Pending, "void") => Voided,
        (Pending, "expire") => Expired,
        _ => throw new DomainException("illegal-state-transition", $"A {current} transfer cannot be {Past(action)}; only pending holds can.", 409),
    };

    private static string Past(string action) => action switch { "capture" => "captured", "void" => "voided", "expire" => "expired", _ => action };
}

/// <summary>A provider payment: <c>pending</c> until the provider settles it <c>success</c> or <c>failed</c>.</summary>
public static class PaymentStatus
{
    public const string Pending = "pending";
    public const string Success = "success";
    public const string Failed = "failed";

    /// <summary>Whether a provider outcome may still change the payment; a final one never changes again.</summary>
    public static bool CanSettle(string current) => current == Pending;
}
