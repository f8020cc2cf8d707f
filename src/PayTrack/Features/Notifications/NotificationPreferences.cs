using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Notifications;

/// <summary>Per kind, whether it is on; <c>locale</c> and <c>timeZone</c> shape amounts and dates in e-mails.</summary>
public sealed record NotificationPreferencesResponse(Dictionary<string, bool> Email, Dictionary<string, bool> InApp, string Locale, string TimeZone);

/// <summary>Kinds left out keep their setting; <c>security</c> e-mails cannot be turned off.</summary>
public sealed record NotificationPreferencesRequest(Dictionary<string, bool>? Email, Dictionary<string, bool>? InApp, string? Locale, string? TimeZone);

/// <summary>A user's effective settings (defaults for a user who never changed any).</summary>
public sealed record NotificationSettings(IReadOnlySet<string> EmailOff, IReadOnlySet<string> InAppOff, CultureInfo Culture, TimeZoneInfo Zone)
{
    public const string DefaultLocale = "en-US";

    public bool EmailOn(string kind) => kind == NotificationKinds.Security || !EmailOff.Contains(kind);
    public bool InAppOn(string kind) => !InAppOff.Contains(kind);

    public static async Task<NotificationSettings> LoadAsync(PayTrackDb db, Guid userId, CancellationToken ct) =>
        From(await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, ct));

    public static NotificationSettings From(NotificationPreference? row) => new(
        Split(row?.EmailOff), Split(row?.InAppOff),
        CultureInfo.GetCultureInfo(row?.Locale ?? DefaultLocale),
        row?.TimeZone is { } tz && TimeZoneInfo.TryFindSystemTimeZoneById(tz, out var zone) ? zone : TimeZoneInfo.Utc);

    internal static HashSet<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    internal static string Join(IEnumerable<string> kinds) => string.Join(',', kinds.Order(StringComparer.Ordinal));

    public NotificationPreferencesResponse ToResponse() => new(
        NotificationKinds.All.ToDictionary(k => k, EmailOn), NotificationKinds.All.ToDictionary(k => k, InAppOn),
        Culture.Name, Zone.Id);
}

public static class GetNotificationPreferences
{
    public static async Task<Ok<NotificationPreferencesResponse>> Handle(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct) =>
        TypedResults.Ok((await NotificationSettings.LoadAsync(db, principal.UserId(), ct)).ToResponse());
}

public static class UpdateNotificationPreferences
{
    public static async Task<Results<Ok<NotificationPreferencesResponse>, ValidationProblem>> Handle(
        NotificationPreferencesRequest request, ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        foreach (var (channel, map) in new[] { ("email", request.Email), ("inApp", request.InApp) })
            foreach (var kind in (map ?? []).Keys.Where(k => !NotificationKinds.IsKnown(k)))
                v.Add($"{channel}.{kind}", $"'{kind}' is not a notification kind.");
        if (request.Email?.GetValueOrDefault(NotificationKinds.Security, true) == false)
            v.Add("email.security", "Security e-mails cannot be turned off.");
        if (request.Locale is { } locale && !IsCulture(locale)) v.Add("locale", $"'{locale}' is not a known locale (e.g. en-US, de-DE).");
        if (request.TimeZone is { } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _)) v.Add("timeZone", $"'{tz}' is not a known IANA time zone (e.g. Europe/Berlin).");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var row = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.UserId == userId, ct);
        if (row is null) db.NotificationPreferences.Add(row = new NotificationPreference { UserId = userId });
        row.EmailOff = Apply(row.EmailOff, request.Email);
        row.InAppOff = Apply(row.InAppOff, request.InApp);
        if (request.Locale is not null) row.Locale = CultureInfo.GetCultureInfo(request.Locale).Name;
        if (request.TimeZone is not null) row.TimeZone = request.TimeZone;
        row.UpdatedAt = clock.UtcNowStored();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(NotificationSettings.From(row).ToResponse());
    }

    private static string Apply(string off, Dictionary<string, bool>? changes)
    {
        var set = NotificationSettings.Split(off);
        foreach (var (kind, on) in changes ?? [])
            if (on) set.Remove(kind); else set.Add(kind);
        return NotificationSettings.Join(set);
    }

    private static bool IsCulture(string name)
    {
        try { return CultureInfo.GetCultureInfo(name, predefinedOnly: true) is { Name.Length: > 0 }; }
        catch (CultureNotFoundException) { return false; }
    }

    /// <summary>Turns <paramref name="kind"/> off for e-mail (the unsubscribe link); security stays on.</summary>
    public static async Task UnsubscribeAsync(PayTrackDb db, Guid userId, string kind, TimeProvider clock, CancellationToken ct)
    {
        if (kind == NotificationKinds.Security || !NotificationKinds.IsKnown(kind)) return;
        var row = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.UserId == userId, ct);
        if (row is null) db.NotificationPreferences.Add(row = new NotificationPreference { UserId = userId });
        row.EmailOff = Apply(row.EmailOff, new Dictionary<string, bool> { [kind] = false });
        row.UpdatedAt = clock.UtcNowStored();
        await db.SaveChangesAsync(ct);
    }
}
