using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Imports;

/// <summary>A multipart form read in the handler, so a wrong content type or a broken body is a clear problem, not a binding failure.</summary>
public sealed record MultipartForm(IFormCollection? Form, IFormFile? File, ProblemHttpResult? Problem);

public static class MultipartForms
{
    public static async Task<MultipartForm> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
            return new(null, null, ProblemSetup.Problem(415, "unsupported-media-type", "Unsupported media type", "Send the file as multipart/form-data with a field named 'file'."));
        try
        {
            var form = await request.ReadFormAsync(ct);
            return new(form, form.Files.GetFile("file"), null);
        }
        catch (InvalidDataException ex)
        {
            return new(null, null, ProblemSetup.Problem(400, "malformed-multipart", "Malformed upload", $"The multipart body could not be read: {ex.Message}"));
        }
    }
}
