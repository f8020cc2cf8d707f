using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Receipts;

/// <summary>
/// Streams the multipart field <c>file</c> straight into the blob store (hashing on the way, never
/// buffering the whole file), then checks size and type and records the receipt.
/// </summary>
public static class UploadReceipt
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public static async Task<Results<Created<ReceiptResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, HttpRequest request, ClaimsPrincipal principal, PayTrackDb db, IBlobStore blobs, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        if (!await db.Expenses.AnyAsync(e => e.Id == id && e.UserId == userId, ct)) return ProblemSetup.NotFound("The expense");

        var (file, refusal) = await ReadFileAsync(request, db, blobs, ct);
        if (refusal is ValidationProblem invalid) return invalid;
        if (refusal is ProblemHttpResult problem) return problem;

        var receipt = new Receipt
        {
            Id = Guid.CreateVersion7(), ExpenseId = id, UserId = userId, FileName = file!.FileName,
            ContentType = file.ContentType, Size = file.Size, Sha256 = file.Sha256, CreatedAt = clock.UtcNowStored(),
        };
        db.Receipts.Add(receipt);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/receipts/{receipt.Id}", receipt.ToResponse());
    }

    /// <summary>A receipt file stored in the blob store and recognised: what a receipt row records.</summary>
    public sealed record UploadedFile(string FileName, string ContentType, long Size, string Sha256);

    /// <summary>
    /// Reads the multipart field <c>file</c> into the blob store and checks its size and type; answers the
    /// stored file or the refusal (shared by personal and group expense receipts).
    /// </summary>
    public static async Task<(UploadedFile? File, IResult? Refusal)> ReadFileAsync(HttpRequest request, PayTrackDb db, IBlobStore blobs, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            return (null, ProblemSetup.Problem(415, "unsupported-media-type", "Unsupported media type", "Send the receipt as multipart/form-data with a field named 'file'."));
        if (request.ContentLength > MaxBytes + 1024 * 1024) return (null, TooLarge());

        var reader = new MultipartReader(boundary, request.Body);
        StoredBlob? stored = null;
        string? fileName = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition() || disposition.Name.Value != "file")
                    continue;
                fileName = disposition.FileNameStar.Value ?? disposition.FileName.Value;
                stored = await blobs.PutAsync(section.Body, MaxBytes, ct);
                if (stored is null) return (null, TooLarge());
                break;
            }
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            return (null, MalformedForm());
        }
        catch (InvalidDataException)
        {
            return (null, MalformedForm());
        }
        if (stored is null)
        {
            var v = new Validation().Add("file", "A file is required in the multipart field 'file'.");
            return (null, TypedResults.ValidationProblem(v.Errors));
        }

        var contentType = FileSignatures.Sniff(stored.Head);
        if (contentType is null)
        {
            await ReceiptBlobs.DeleteIfUnusedAsync(db, blobs, stored.Sha256, ct);
            return (null, ProblemSetup.Problem(415, "unsupported-receipt-type", "Unsupported receipt type",
                "Receipts must be JPEG, PNG, WebP or PDF files; the file's content is none of these."));
        }

        return (new UploadedFile(CleanFileName(fileName, contentType), contentType, stored.Size, stored.Sha256), null);
    }

    private static ProblemHttpResult TooLarge() =>
        ProblemSetup.Problem(413, "receipt-too-large", "Receipt too large", $"Receipts may be at most {MaxBytes / 1024 / 1024} MiB.");

    private static ProblemHttpResult MalformedForm() =>
        ProblemSetup.Problem(400, "malformed-multipart", "Malformed upload", "The multipart body could not be read.");

    /// <summary>The client's file name is kept only as a label: no directories, no control characters, bounded length.</summary>
    internal static string CleanFileName(string? name, string contentType)
    {
        var clean = new string(Path.GetFileName((name ?? "").Replace('\\', '/')).Where(c => !char.IsControl(c) && c != '"').ToArray()).Trim();
        if (clean.Length > 200) clean = clean[^200..];
        if (clean.Length == 0)
            clean = "receipt" + contentType switch { "image/jpeg" => ".jpg", "image/png" => ".png", "image/webp" => ".webp", _ => ".pdf" };
        return clean;
    }
}
