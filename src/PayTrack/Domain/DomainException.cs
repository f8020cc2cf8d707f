namespace PayTrack.Domain;

/// <summary>A business rule refused the request; <see cref="Slug"/> becomes the problem type <c>/problems/{slug}</c>.</summary>
public sealed class DomainException(string slug, string message, int status = 422, IDictionary<string, object?>? extensions = null)
    : Exception(message)
{
    public string Slug { get; } = slug;
    public int Status { get; } = status;
    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
