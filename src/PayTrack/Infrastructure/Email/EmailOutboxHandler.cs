using System.Text.Json;
using PayTrack.Data;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Infrastructure.Email;

/// <summary>
/// Sends the e-mails the notifications handler queued (one outbox row each, written with the in-app
/// notification). An SMTP outage delays them: the dispatcher retries with backoff, then marks the row
/// dead for an admin to retry.
/// </summary>
public sealed class EmailOutboxHandler(EmailSender sender) : IOutboxBatchHandler, IOutboxForgetsDelivered
{
    public const string HandlerName = "email";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => HandlerName;

    /// <summary>No domain event is an e-mail: rows for this handler are written only as follow-ups.</summary>
    public bool Handles(string eventType) => false;

    public Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        var email = JsonSerializer.Deserialize<OutgoingEmail>(message.Data, Json) ?? throw new InvalidOperationException("Empty e-mail message.");
        return sender.SendAsync(message.Id, email, ct);
    }

    /// <summary>A round's e-mails over one SMTP connection.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> HandleBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct) =>
        await sender.SendManyAsync(messages.Select(m => (m.Id, JsonSerializer.Deserialize<OutgoingEmail>(m.Data, Json) ?? throw new InvalidOperationException("Empty e-mail message."))).ToList(), ct);

    public static string Serialize(OutgoingEmail email) => JsonSerializer.Serialize(email, Json);
}

public static class EmailSetup
{
    /// <summary>E-mail delivery from the outbox (section <c>Email</c>; ADR 0041).</summary>
    public static IServiceCollection AddPayTrackEmail(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var options = config.GetSection("Email").Get<EmailOptions>() ?? new EmailOptions();
        services.AddSingleton(options);
        services.AddSingleton(sp => new EmailSender(options, options.PickupDirectory is { Length: > 0 } dir ? dir
            : Path.Combine(Data.DatabaseSetup.ResolveDataDirectory(sp.GetRequiredService<Data.DatabaseOptions>(), env), "mail")));
        services.AddSingleton<IOutboxHandler, EmailOutboxHandler>();
        return services;
    }
}
