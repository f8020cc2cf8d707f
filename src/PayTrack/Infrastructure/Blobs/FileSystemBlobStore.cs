using System.Buffers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PayTrack.Infrastructure.Blobs;

/// <summary>
/// Blobs as files under <c>&lt;DataDirectory&gt;/blobs/ab/abcdef…</c>. Writes go to a temporary file
/// first and are moved into place only once complete, so a reader never sees half a blob.
/// </summary>
public sealed partial class FileSystemBlobStore(string root) : IBlobStore
{
    private const int HeadLength = 64;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();

    public async Task<StoredBlob?> PutAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var tmpDir = Path.Combine(root, "tmp");
        Directory.CreateDirectory(tmpDir);
        var tmp = Path.Combine(tmpDir, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        var head = new List<byte>(HeadLength);
        long size = 0;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, buffer.Length), ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes) return null;
                    if (head.Count < HeadLength) head.AddRange(buffer.AsSpan(0, Math.Min(read, HeadLength - head.Count)).ToArray());
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathOf(sha);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target)) File.Move(tmp, target, overwrite: true);
            return new StoredBlob(sha, size, head.ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public Stream? OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    public Task DeleteAsync(string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    private string PathOf(string sha256)
    {
        // The name is always a hash we computed; checking it keeps any other string from becoming a path.
        if (!HashPattern().IsMatch(sha256)) throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256));
        return Path.Combine(root, sha256[..2], sha256);
    }
}
