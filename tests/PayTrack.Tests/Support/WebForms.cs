using System.Net;
using System.Text.RegularExpressions;

namespace PayTrack.Tests.Support;

/// <summary>Drives the web UI over HTTP like a browser without JavaScript: GET a form, post it back with its antiforgery token.</summary>
public static partial class WebForms
{
    /// <summary>Loads <paramref name="page"/> and posts <paramref name="fields"/> plus the page's antiforgery token to <paramref name="action"/> (default: the page).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string page, IDictionary<string, string> fields, string? action = null)
    {
        var html = await client.GetStringAsync(page);
        var token = Token().Match(html);
        if (!token.Success) throw new InvalidOperationException($"{page} has no antiforgery token.");
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        return await client.PostAsync(action ?? page, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
