using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// Pages call the same use-case handlers as the API; this turns a handler's refusal (a validation
/// problem or a business-rule problem) into form errors, next to the field when one is named.
/// </summary>
public static class UseCaseErrors
{
    /// <summary>
    /// Adds the refusal in <paramref name="result"/> to <paramref name="modelState"/>; answers false when
    /// the result is not a refusal (the caller carries on). API field names (<c>displayName</c>) map to
    /// the page's inputs (<c>Input.DisplayName</c>); <paramref name="problemFields"/> puts a problem slug on a field.
    /// </summary>
    public static bool AddTo(ModelStateDictionary modelState, IResult result, string prefix = "Input", IReadOnlyDictionary<string, string>? problemFields = null,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        switch (result)
        {
            case ValidationProblem v:
                foreach (var (field, messages) in v.ProblemDetails.Errors)
                    foreach (var message in messages) modelState.AddModelError(FieldName(prefix, field), Humanize(field, message, labels));
                return true;
            case ProblemHttpResult p:
                var slug = p.ProblemDetails.Type is { } t && t.StartsWith("/problems/", StringComparison.Ordinal) ? t["/problems/".Length..] : "";
                var key = problemFields is not null && problemFields.TryGetValue(slug, out var f) ? FieldName(prefix, f) : "";
                modelState.AddModelError(key, Sentence(p.ProblemDetails.Detail ?? p.ProblemDetails.Title ?? "That did not work."));
                return true;
            default:
                return false;
        }
    }

    public static string FieldName(string prefix, string apiField)
    {
        if (apiField.Length == 0) return prefix;
        var pascal = string.Join('.', apiField.Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
        return prefix.Length == 0 ? pascal : $"{prefix}.{pascal}";
    }

    /// <summary>
    /// API messages start with the field's JSON name ("currentPassword is …"); a person reads "Current password is …",
    /// or the words the form's label uses (<paramref name="labels"/>: "displayName" → "name" under "Your name").
    /// The API's wire formats ("as YYYY-MM-DD", "a plain number … no thousands separators") mean nothing on a
    /// form whose date field is a date picker and whose amount fields read "1.234,56": those parts are reworded.
    /// </summary>
    public static string Humanize(string field, string message, IReadOnlyDictionary<string, string>? labels = null)
    {
        message = ForPeople(message);
        var last = field.Split('.')[^1];
        if (last.Length == 0 || !message.StartsWith(last + " ", StringComparison.Ordinal)) return Sentence(message);
        string words;
        if (labels is not null && labels.TryGetValue(last, out var label)) words = label;
        else if (Words.TryGetValue(last, out var known)) words = known;
        else
        {
            // "categoryId" reads as "category", "setCategoryId" as "set category": a person never sees an id.
            var name = last.Length > 2 && last.EndsWith("Id", StringComparison.Ordinal) ? last[..^2] : last;
            words = System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", " $1").ToLowerInvariant();
        }
        return Sentence(words + message[last.Length..]);
    }

    /// <summary>Field names whose plain splitting reads wrong next to the labels every form uses.</summary>
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["email"] = "e-mail", ["toEmail"] = "e-mail", ["url"] = "URL",
    };

    private static string ForPeople(string message) => message
        .Replace(" is required as YYYY-MM-DD.", " is required.", StringComparison.Ordinal)
        .Replace(" must be a date YYYY-MM-DD.", " must be a valid date.", StringComparison.Ordinal)
        .Replace(" must be YYYY-MM-DD.", " must be a valid date.", StringComparison.Ordinal)
        .Replace(" must be a plain number such as 12.34 (no spaces, signs, exponents or thousands separators).", " must be a number such as 12.50.", StringComparison.Ordinal);

    /// <summary>API messages start with the field's name in lower case; a form reads better with a capital.</summary>
    public static string Sentence(string message) =>
        message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..];
}

/// <summary>What a page reads from a use case's success: its value, whatever the status (200 or 201).</summary>
public static class UseCaseResults
{
    /// <summary>
    /// The value of a use case's successful result. Call it after <see cref="UseCaseErrors.AddTo"/> has
    /// ruled a refusal out; any other result is a programming error and says which value was expected.
    /// </summary>
    public static T ValueOf<T>(IResult? result) => result is IValueHttpResult<T> { Value: { } value }
        ? value
        : throw new InvalidOperationException($"The use case answered {result?.GetType().Name ?? "nothing"}, not a {typeof(T).Name}.");
}
