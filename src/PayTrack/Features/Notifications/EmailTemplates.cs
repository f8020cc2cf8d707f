using System.Net;
using System.Text;
using PayTrack.Infrastructure.Email;

namespace PayTrack.Features.Notifications;

/// <summary>
/// The HTML and plain-text e-mail of a notification: greeting, the kind's sentence, its facts (money
/// with currency, dates in the recipient's zone), a link into the app and the unsubscribe link.
/// </summary>
public sealed class EmailTemplates(EmailOptions options, UnsubscribeLinks links)
{
    public OutgoingEmail Render(NotificationDraft draft, NotificationContent content, string to, string name)
    {
        var unsubscribe = draft.Kind == NotificationKinds.Security ? null : links.Create(draft.UserId, draft.Kind);
        var open = draft.EmailLink ?? (draft.Link is null ? null : options.BaseUrl.TrimEnd('/') + draft.Link);
        return new OutgoingEmail(to, name, content.Title, Text(content, name, open, unsubscribe, draft.Kind), Html(content, name, open, unsubscribe, draft.Kind), unsubscribe);
    }

    /// <summary>
    /// An e-mail to an address with no PayTrack account (a group invite): no preferences apply and there is no
    /// unsubscribe link, which its footer says.
    /// </summary>
    public static OutgoingEmail RenderWithoutAccount(NotificationContent content, string to, string open) =>
        new(to, "", content.Title, Text(content, "", open, null, null), Html(content, "", open, null, null), null);

    private const string NoAccountFooter = "You get this e-mail because someone invited this address to PayTrack. It has no PayTrack account, so there is nothing to unsubscribe from: nothing more is sent unless someone invites it again.";

    private static string Text(NotificationContent c, string name, string? open, string? unsubscribe, string? kind)
    {
        var sb = new StringBuilder();
        sb.Append(name.Length == 0 ? "Hello" : "Hello " + name).Append(",\n\n").Append(c.Body).Append("\n\n");
        foreach (var (label, value) in c.Facts) sb.Append("  ").Append(label).Append(": ").Append(value).Append('\n');
        if (open is not null) sb.Append("\nOpen in PayTrack: ").Append(open).Append('\n');
        sb.Append("\n-- \n");
        if (kind is null) sb.Append(NoAccountFooter).Append('\n');
        else if (unsubscribe is null) sb.Append("Security e-mails are always sent: they tell you about changes to how you sign in.\n");
        else sb.Append("You get this because e-mails for \"").Append(NotificationKinds.Label(kind)).Append("\" are on.\n")
               .Append("Turn them off: ").Append(unsubscribe).Append('\n');
        return sb.ToString();
    }

    private static string Html(NotificationContent c, string name, string? open, string? unsubscribe, string? kind)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(c.Title)).Append("</title></head>")
          .Append("<body style=\"font-family:system-ui,sans-serif;color:#1b1b1b;max-width:36rem;margin:0 auto;padding:1rem\">")
          .Append("<p style=\"color:#13795b;font-weight:600\">PayTrack</p>")
          .Append("<h1 style=\"font-size:1.3rem\">").Append(E(c.Title)).Append("</h1>")
          .Append(name.Length == 0 ? "<p>Hello" : "<p>Hello " + E(name)).Append(",</p><p>").Append(E(c.Body)).Append("</p>");
        if (c.Facts.Count > 0)
        {
            sb.Append("<table style=\"border-collapse:collapse\">");
            foreach (var (label, value) in c.Facts)
                sb.Append("<tr><th style=\"text-align:left;padding:.2rem 1rem .2rem 0;font-weight:500;color:#555\">").Append(E(label))
                  .Append("</th><td style=\"padding:.2rem 0\">").Append(E(value)).Append("</td></tr>");
            sb.Append("</table>");
        }
        if (open is not null)
            sb.Append("<p><a href=\"").Append(E(open)).Append("\" style=\"display:inline-block;background:#13795b;color:#fff;padding:.5rem 1rem;border-radius:.3rem;text-decoration:none\">Open in PayTrack</a></p>");
        sb.Append("<hr><p style=\"font-size:.85rem;color:#555\">");
        if (kind is null) sb.Append(E(NoAccountFooter));
        else if (unsubscribe is null) sb.Append("Security e-mails are always sent: they tell you about changes to how you sign in.");
        else sb.Append("You get this because e-mails for “").Append(E(NotificationKinds.Label(kind))).Append("” are on. ")
               .Append("<a href=\"").Append(E(unsubscribe)).Append("\">Unsubscribe</a> from these e-mails.");
        sb.Append("</p></body></html>");
        return sb.ToString();
    }
}
