using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace PayTrack.Infrastructure.Email;

/// <summary>
/// Sends one e-mail through SMTP (MailKit) or writes it as an .eml file to the pickup folder. The
/// Message-Id is derived from the outbox message id, so a message sent twice (a crash after the send,
/// before the outbox row was marked done) is recognisable as one by the receiving side.
/// </summary>
public sealed class EmailSender(EmailOptions options, string pickupDirectory)
{
    public string PickupDirectory => pickupDirectory;

    public MimeMessage Build(Guid id, OutgoingEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Smtp.From));
        message.To.Add(new MailboxAddress(email.ToName, email.To));
        message.Subject = email.Subject;
        message.MessageId = $"{id:N}@paytrack";
        message.Date = DateTimeOffset.UtcNow;
        if (email.UnsubscribeUrl is { } url)
        {
            // RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the same signed link.
            message.Headers.Add("List-Unsubscribe", $"<{url}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();
        return message;
    }

    public async Task SendAsync(Guid id, OutgoingEmail email, CancellationToken ct)
    {
        if ((await SendManyAsync([(id, email)], ct)).TryGetValue(id, out var error)) throw new InvalidOperationException(error);
    }

    /// <summary>Sends several e-mails (over one SMTP connection); answers the error of each one that was not sent.</summary>
    public async Task<Dictionary<Guid, string>> SendManyAsync(IReadOnlyList<(Guid Id, OutgoingEmail Email)> emails, CancellationToken ct)
    {
        var failed = new Dictionary<Guid, string>();
        if (!string.Equals(options.Mode, EmailOptions.SmtpMode, StringComparison.OrdinalIgnoreCase))
        {
            Directory.CreateDirectory(pickupDirectory);
            foreach (var (id, email) in emails)
            {
                ct.ThrowIfCancellationRequested();
                var path = Path.Combine(pickupDirectory, $"{id:N}.eml");
                var temp = path + ".tmp";
                // Written in one go, synchronously: a few kilobytes to the local disk; async file writes would cost
                // more in thread hand-offs than the write itself.
                using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 16 * 1024, FileOptions.None))
                    Build(id, email).WriteTo(file, ct);
                File.Move(temp, path, overwrite: true); // a reader of the folder never sees half a message
            }
            return failed;
        }
        var smtp = options.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host)) throw new InvalidOperationException("Email:Mode is smtp but Email:Smtp:Host is not set.");
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        var security = smtp.StartTls ? SecureSocketOptions.StartTls : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.None;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(smtp.User)) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        foreach (var (id, email) in emails)
        {
            if (!client.IsConnected) { failed[id] = "The SMTP connection closed."; continue; }
            try { await client.SendAsync(Build(id, email), ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { failed[id] = ex.Message; }
        }
        if (client.IsConnected) await client.DisconnectAsync(true, ct);
        return failed;
    }
}
