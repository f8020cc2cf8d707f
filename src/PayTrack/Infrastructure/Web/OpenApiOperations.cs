using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// Declares, for every operation, the answers that come from the pipeline rather than from the handler's
/// typed results, from the endpoint's metadata (ADR 0028):
/// <list type="bullet">
/// <item>authorization required → the Bearer security requirement and 401 (admin policy: 403 too); anonymous → no security;</item>
/// <item>every operation → 429 (a signed-in caller is rate limited on every request), and 400, 414 and 431 for a
/// request line or headers that <see cref="RequestLimits"/> refuses;</item>
/// <item>a body → 413, 415; a path parameter → 404;</item>
/// <item>Idempotency-Key → the header, 409 (still in flight) and 422 (reused with another request);</item>
/// <item>multipart uploads and CSV/file answers from <see cref="MultipartFormMetadata"/> and <see cref="FileResponseMetadata"/>.</item>
/// </list>
/// Statuses only a handler knows (404 for a referenced id, 409, 422…) are declared on the endpoint with
/// <c>.ProducesProblem(...)</c>. The test suite checks every status it receives against this document.
/// </summary>
internal static class OpenApiOperations
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [400] = "The request is not valid: malformed JSON, a bad parameter, or a field that breaks a rule (listed in `errors`).",
        [401] = "No valid bearer access token (missing, expired, revoked, or the user is suspended or closed).",
        [403] = "Signed in, but not allowed to do this.",
        [404] = "Not found — also when it exists but belongs to someone else.",
        [409] = "Conflict: a duplicate, an illegal state transition, or the same Idempotency-Key still in flight.",
        [410] = "Gone: the link or token was valid and is no longer.",
        [413] = "The request body is too large.",
        [414] = "The request's path and query are too long.",
        [415] = "Unsupported Content-Type.",
        [422] = "A business rule refused the request; `type` names which (/problems/<slug>).",
        [423] = "The account is locked after repeated failed sign-ins; wait Retry-After seconds.",
        [429] = "Too many requests; wait Retry-After seconds.",
        [431] = "Too many or too large request headers.",
        [503] = "Not ready.",
    };

    /// <summary>Query parameters that take one of a fixed set of values, by route and name.</summary>
    private static readonly Dictionary<(string Route, string Parameter), string[]> ParameterEnums = new()
    {
        [("api/v1/transfers", "status")] = Domain.Ledger.TransferStatus.All,
        [("api/v1/reports/spending", "groupBy")] = ["category", "month", "week", "day", "tag", "payee"],
        [("api/v1/reports/spending.csv", "groupBy")] = ["category", "month", "week", "day", "tag", "payee"],
        [("api/v1/expenses/export", "format")] = ["csv"],
        [("api/v1/reports/cashflow", "groupBy")] = ["month", "week"],
        [("api/v1/expenses", "kind")] = Data.ExpenseKinds.All,
        [("api/v1/admin/outbox", "status")] = Data.OutboxStatus.All,
        [("api/v1/expenses/export", "kind")] = Data.ExpenseKinds.All,
    };

    /// <summary>Words for parameters whose meaning is not obvious from their name.</summary>
    private static readonly Dictionary<string, string> ParameterDescriptions = new()
    {
        ["limit"] = "Page size, 1–200 (default 50).",
        ["cursor"] = "The nextCursor of the previous page; absent for the first page.",
        ["from"] = "First day included, YYYY-MM-DD.",
        ["to"] = "Last day included, YYYY-MM-DD.",
        ["minAmount"] = "Smallest amount included, a decimal string such as \"10.00\".",
        ["maxAmount"] = "Largest amount included, a decimal string such as \"99.99\".",
        ["q"] = "Text searched in payee and description (case-insensitive).",
        ["currency"] = "ISO 4217 code; default: your default currency.",
        ["reassignTo"] = "The category that takes over what used the deleted one; absent: they become uncategorised.",
    };

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var route = (context.Description.RelativePath ?? "").TrimEnd('/');
        var doc = context.Document!;

        // What the endpoint says to clients wins over a handler's XML comment, which is written for maintainers.
        if (metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault() is { } summary) operation.Summary = summary.Summary;
        if (metadata.OfType<IEndpointDescriptionMetadata>().LastOrDefault() is { } description) operation.Description = description.Description;

        var requiresAuth = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var admin = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == AuthSetup.AdminPolicy);

        operation.Parameters ??= [];
        var idempotency = metadata.OfType<IdempotencyMetadata>().FirstOrDefault();
        if (idempotency is not null)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyFilter.Header,
                In = ParameterLocation.Header,
                Required = idempotency.Required,
                Description = "1–255 characters, scoped to you, kept at least 24 hours. The same key and request replays the first answer (header Idempotent-Replayed: true); "
                    + "the same key with another request: 422; while the first is still running: 409." + (idempotency.Required ? " Required: missing → 400." : ""),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
            });
        }
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            if (parameter.Name is { } name && parameter.Description is null && ParameterDescriptions.TryGetValue(name, out var words)) parameter.Description = words;
            if (parameter.Name is { } n && ParameterEnums.TryGetValue((route, n), out var values) && parameter.Schema is OpenApiSchema schema)
                schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        }

        var multipart = metadata.OfType<MultipartFormMetadata>().FirstOrDefault();
        if (multipart is not null) operation.RequestBody = MultipartBody(multipart);

        operation.Responses ??= [];
        var file = metadata.OfType<FileResponseMetadata>().FirstOrDefault();
        if (file is not null)
        {
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = file.Description,
                Content = file.ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = file.Binary ? "binary" : null },
                }),
            };
        }

        var hasBody = operation.RequestBody is not null;
        // Any request can carry header bytes that are not printable ASCII (400), a too long target (414) or too many headers (431).
        AddProblem(operation, doc, 400);
        AddProblem(operation, doc, 414);
        AddProblem(operation, doc, 431);
        if (hasBody)
        {
            AddProblem(operation, doc, 413);
            AddProblem(operation, doc, 415);
        }
        if (operation.Parameters.Any(p => p.In == ParameterLocation.Path)) AddProblem(operation, doc, 404);
        if (idempotency is not null)
        {
            AddProblem(operation, doc, 409);
            AddProblem(operation, doc, 422);
        }
        if (requiresAuth)
        {
            AddProblem(operation, doc, 401);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, doc)] = [] }];
        }
        else operation.Security = null;
        if (admin) AddProblem(operation, doc, 403);
        AddProblem(operation, doc, 429);

        // Every answer the framework declared for a problem result carries the problem schema, with words.
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse r || !int.TryParse(status, out var code)) continue;
            if (code >= 400 && Descriptions.TryGetValue(code, out var d) && (string.IsNullOrEmpty(r.Description) || r.Description == ReasonPhrase(code))) r.Description = d;
            if (code >= 400 && (r.Content is null || r.Content.Count == 0)) r.Content = ProblemContent(doc, code);
        }

        // In status order, so a reader finds the success first.
        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in ordered) operation.Responses[status] = response;
        return Task.CompletedTask;
    }

    public const string BearerScheme = "Bearer";

    private static string ReasonPhrase(int code) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code);

    internal static void AddProblem(OpenApiOperation operation, OpenApiDocument doc, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key)) return;
        var response = new OpenApiResponse { Description = Descriptions[status], Content = ProblemContent(doc, status) };
        if (status == 401)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = new OpenApiHeader { Description = "Bearer, with error=\"invalid_token\" when a token was sent but refused.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
        if (status is 429 or 423)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before trying again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" } },
            };
        }
        operation.Responses[key] = response;
    }

    internal static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument doc, int status) => new()
    {
        ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(status == 400 ? ValidationProblemSchema : ProblemSchema, doc) },
    };

    private static OpenApiRequestBody MultipartBody(MultipartFormMetadata form)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(),
        };
        foreach (var field in form.Fields)
        {
            var property = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = field.Binary ? "binary" : null,
                Description = field.Description,
                Enum = field.Enum?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
                Examples = field.Example is null ? null : [JsonValue.Create(field.Example)],
            };
            schema.Properties[field.Name] = property;
            if (field.Required) schema.Required.Add(field.Name);
        }
        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new OpenApiMediaType
                {
                    Schema = schema,
                    Encoding = form.Fields.Where(f => f.Binary).ToDictionary(f => f.Name, _ => new OpenApiEncoding { ContentType = "application/octet-stream" }),
                },
            },
        };
    }
}
