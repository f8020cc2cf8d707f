namespace PayTrack.Infrastructure.Blobs;

/// <summary>
/// Content-addressed storage for uploaded files: a blob's name is the lower-case hex SHA-256 of its
/// bytes, so identical uploads share one blob and no name ever comes from user input.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store, hashing it on the way, refusing more than
    /// <paramref name="maxBytes"/> (answers null then, keeping nothing). Answers the hash and length.
    /// </summary>
    Task<StoredBlob?> PutAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>Opens a blob for reading; null when it does not exist.</summary>
    Stream? OpenRead(string sha256);

    Task DeleteAsync(string sha256, CancellationToken ct);
}

/// <summary>A blob just written: its hash, length and first bytes (for type sniffing).</summary>
public sealed record StoredBlob(string Sha256, long Size, byte[] Head);
