namespace PayTrack.Infrastructure.Web;

/// <summary>
/// One field of a multipart/form-data upload, as the OpenAPI document describes it: <c>Binary</c> for a file
/// part (type string, format binary), <c>Enum</c> for a field that takes one of a few values.
/// </summary>
public sealed record FormField(string Name, string Description, bool Required = false, bool Binary = false, string[]? Enum = null, string? Example = null);

/// <summary>
/// Endpoint metadata: the endpoint reads a multipart/form-data body itself (streaming it, checking the
/// media type after authorization). Unlike <c>.Accepts(...)</c> it is not an <c>IAcceptsMetadata</c>, so routing
/// never answers 415 for it; the OpenAPI transformer turns it into the request body. ADR 0028.
/// </summary>
public sealed record MultipartFormMetadata(IReadOnlyList<FormField> Fields);

/// <summary>Endpoint metadata: a 200 whose body is not JSON — CSV text or a file's bytes — in one of these media types.</summary>
public sealed record FileResponseMetadata(string Description, IReadOnlyList<string> ContentTypes, bool Binary);

public static class OpenApiMetadataExtensions
{
    /// <summary>The endpoint takes multipart/form-data with these fields (see <see cref="MultipartFormMetadata"/>).</summary>
    public static TBuilder AcceptsMultipart<TBuilder>(this TBuilder builder, params FormField[] fields) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new MultipartFormMetadata(fields));

    /// <summary>The endpoint answers 200 with a text/csv body.</summary>
    public static TBuilder ProducesCsv<TBuilder>(this TBuilder builder, string description = "CSV, UTF-8, a header line first.") where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FileResponseMetadata(description, ["text/csv"], Binary: false));

    /// <summary>The endpoint answers 200 with a file's bytes in one of these media types.</summary>
    public static TBuilder ProducesFile<TBuilder>(this TBuilder builder, string description, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FileResponseMetadata(description, contentTypes, Binary: true));
}
