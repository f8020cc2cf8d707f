using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Email;

namespace PayTrack.Features.Notifications;

/// <summary>
/// Signed unsubscribe links: <c>/unsubscribe?u={user}&amp;k={kind}&amp;s={signature}</c>, the signature an
/// HMAC-SHA256 over user and kind with a key derived from the token signing key (previous keys still
/// verify after a rotation). No sign-in is needed and the link does nothing but turn that kind off for e-mail.
/// </summary>
public sealed class UnsubscribeLinks(SigningKeys keys, EmailOptions options)
{
    public string Create(Guid userId, string kind) =>
        $"{options.BaseUrl.TrimEnd('/')}/unsubscribe?u={userId:N}&k={Uri.EscapeDataString(kind)}&s={Sign(keys.Current.Key, userId, kind)}";

    public bool Verify(Guid userId, string kind, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        var given = Encoding.ASCII.GetBytes(signature);
        return keys.All.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(k.Key, userId, kind)), given));
    }

    private static string Sign(byte[] signingKey, Guid userId, string kind)
    {
        var key = HMACSHA256.HashData(signingKey, "paytrack:unsubscribe"u8);
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{userId:N}|{kind}")));
    }
}
