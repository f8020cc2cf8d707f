using System.Globalization;
using PayTrack.Domain;

namespace PayTrack.Features.Notifications;

/// <summary>Formats money and dates the way a recipient set them up (locale and time zone).</summary>
public sealed class NotificationFormat(CultureInfo culture, TimeZoneInfo zone)
{
    public CultureInfo Culture => culture;

    /// <summary>An amount in the recipient's number format, always with its currency code: <c>1,234.56 EUR</c>, <c>1.234,56 EUR</c>.</summary>
    public string Money(long minor, string currencyCode)
    {
        var currency = Currency.Get(currencyCode);
        var amount = new Money(minor, currency).ToDecimal();
        return amount.ToString("N" + currency.MinorDigits.ToString(CultureInfo.InvariantCulture), culture) + " " + currency.Code;
    }

    /// <summary>An amount given as the API's decimal string.</summary>
    public string Money(string amount, string currencyCode) =>
        Domain.Money.TryParse(amount, Currency.Get(currencyCode), out var m, out _) ? Money(m.Minor, currencyCode) : $"{amount} {currencyCode}";

    /// <summary>A moment in the recipient's time zone, named: <c>11/28/2026 6:30 AM (Europe/Berlin)</c>.</summary>
    public string Moment(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("g", culture) + $" ({zone.Id})";

    public string Day(DateOnly day) => day.ToString("d", culture);
}

/// <summary>What a notification says, in the recipient's format: a title, one sentence, and the facts (label, value).</summary>
public sealed record NotificationContent(string Title, string Body, IReadOnlyList<(string Label, string Value)> Facts);

/// <summary>
/// A notification to write: for whom, of which kind, where it links to, and its text for a given
/// format (so e-mails show money and dates the recipient's way). <see cref="EmailLink"/>, when set, is the
/// e-mail's link instead of <see cref="Link"/>: an absolute URL that must not be kept in the in-app row
/// (an invite's secret accept link).
/// </summary>
public sealed record NotificationDraft(Guid UserId, string Kind, string? Link, Func<NotificationFormat, NotificationContent> Content, string? EmailLink = null);
