using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Blobs;

namespace PayTrack.Features.Receipts;

public sealed record ReceiptResponse(Guid Id, Guid ExpenseId, string FileName, string ContentType, long Size, string Sha256, DateTime CreatedAt);

public static class ReceiptBlobs
{
    public static ReceiptResponse ToResponse(this Receipt r) => new(r.Id, r.ExpenseId, r.FileName, r.ContentType, r.Size, r.Sha256, r.CreatedAt);

    /// <summary>Deletes the blob once no receipt row (of anyone, personal or group) refers to the same bytes.</summary>
    public static async Task DeleteIfUnusedAsync(PayTrackDb db, IBlobStore blobs, string sha256, CancellationToken ct)
    {
        if (!await db.Receipts.AnyAsync(r => r.Sha256 == sha256, ct) && !await db.GroupExpenseReceipts.AnyAsync(r => r.Sha256 == sha256, ct))
            await blobs.DeleteAsync(sha256, ct);
    }
}

/// <summary>Recognises the accepted receipt types from their first bytes; the name and declared type are not trusted.</summary>
public static class FileSignatures
{
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        if (head.StartsWith("%PDF-"u8)) return "application/pdf";
        return null;
    }
}
