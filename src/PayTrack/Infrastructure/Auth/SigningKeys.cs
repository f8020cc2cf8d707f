using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace PayTrack.Infrastructure.Auth;

/// <summary>
/// The HMAC keys of access tokens: the current one signs, it and the previous ones validate. Each
/// key's id (<c>kid</c>) is derived from the key itself, so rotating needs no extra setting and a
/// token names the key that checks it. See docs/decisions/0036-jwt-bearer-with-key-rotation.md.
/// </summary>
public sealed class SigningKeys
{
    private const int MinimumBytes = 32;
    private readonly Dictionary<string, SymmetricSecurityKey> _byId;

    public SigningKeys(byte[] current, IEnumerable<byte[]> previous)
    {
        Current = Create(current, "Auth:SigningKey");
        _byId = new Dictionary<string, SymmetricSecurityKey>(StringComparer.Ordinal) { [Current.KeyId] = Current };
        foreach (var key in previous.Select(k => Create(k, "Auth:PreviousSigningKeys"))) _byId.TryAdd(key.KeyId, key);
    }

    /// <summary>The key new tokens are signed with.</summary>
    public SymmetricSecurityKey Current { get; }

    /// <summary>Every key a token may be signed with, current first.</summary>
    public IReadOnlyCollection<SymmetricSecurityKey> All => _byId.Values;

    /// <summary>The key with this id, or none: a token without a known <c>kid</c> is never tried against every key.</summary>
    public IEnumerable<SecurityKey> Find(string? keyId) =>
        keyId is not null && _byId.TryGetValue(keyId, out var key) ? [key] : [];

    /// <summary>
    /// <c>Auth:SigningKey</c>, or a key generated once and kept in the data folder (mode 600), plus
    /// <c>Auth:PreviousSigningKeys</c> for validation only.
    /// </summary>
    public static SigningKeys Load(AuthOptions options, string dataDirectory)
    {
        var current = string.IsNullOrWhiteSpace(options.SigningKey)
            ? LoadOrCreateKeyFile(dataDirectory)
            : Decode(options.SigningKey, "Auth:SigningKey");
        var previous = (options.PreviousSigningKeys ?? [])
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(k => Decode(k, "Auth:PreviousSigningKeys"));
        return new SigningKeys(current, previous);
    }

    /// <summary>A key's id: the first 8 bytes of its SHA-256, base64url. Names the key without revealing it.</summary>
    public static string KeyIdOf(byte[] key) => Base64Url.EncodeToString(SHA256.HashData(key).AsSpan(0, 8));

    private static SymmetricSecurityKey Create(byte[] key, string setting)
    {
        if (key.Length < MinimumBytes) throw new InvalidOperationException($"{setting}: every signing key must be at least {MinimumBytes} bytes.");
        return new SymmetricSecurityKey(key) { KeyId = KeyIdOf(key) };
    }

    private static byte[] Decode(string base64, string setting)
    {
        try { return Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { throw new InvalidOperationException($"{setting} must be base64 (e.g. `openssl rand -base64 64`)."); }
    }

    private static byte[] LoadOrCreateKeyFile(string dataDirectory)
    {
        var dir = Path.Combine(dataDirectory, "keys");
        var path = Path.Combine(dir, "token-signing.key");
        if (File.Exists(path)) return Decode(File.ReadAllText(path), path);
        Directory.CreateDirectory(dir);
        var key = RandomNumberGenerator.GetBytes(64);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try { File.Move(tmp, path); }
        catch (IOException) { File.Delete(tmp); return Decode(File.ReadAllText(path), path); }
        return key;
    }
}
