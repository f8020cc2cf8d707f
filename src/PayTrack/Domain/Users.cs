namespace PayTrack.Domain;

/// <summary>The account life cycle: active ⇄ suspended, either → closed (terminal).</summary>
public static class UserStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Closed = "closed";

    /// <summary>The status after an admin action, or a refusal naming why the move is illegal.</summary>
    public static string Transition(string current, string action) => (current, action) switch
    {
        (Active, "suspend") => Suspended,
        (Suspended, "reactivate") => Active,
        (Active or Suspended, "close") => Closed,
        _ => throw new DomainException("illegal-state-transition",
            $"A user who is {current} cannot be {Past(action)}.", 409),
    };

    private static string Past(string action) => action switch
    {
        "suspend" => "suspended",
        "reactivate" => "reactivated",
        "close" => "closed",
        _ => action,
    };
}

/// <summary>Application-wide roles.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string User = "user";
}
