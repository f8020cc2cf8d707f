using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// Issue #9 item 8: /openapi/v1.json says what the API really does. The shape checks read the document;
/// the refusal walks send every operation the usual wrong requests and require each answer to be declared
/// (on top of the check every HTTP test gets from <see cref="OpenApiContract"/>).
/// </summary>
public sealed class OpenApiContractTests : ApiTest
{
    private static readonly HashSet<string> AnonymousOperations =
    [
        "POST /api/v1/auth/register", "POST /api/v1/auth/token", "POST /api/v1/auth/refresh",
        "POST /api/v1/payments/callback", "GET /health/live", "GET /health/ready",
    ];

    private async Task<JsonElement> DocumentAsync()
    {
        using var doc = JsonDocument.Parse(await App.Anonymous().GetStringAsync("/openapi/v1.json"));
        return doc.RootElement.Clone();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Op)> Operations(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (o.Name.ToUpperInvariant(), p.Name, o.Value)));

    private static JsonElement Schema(JsonElement doc, string name) => doc.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static IEnumerable<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var t) ? [] : t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!) : [t.GetString()!];

    private static bool Declares(JsonElement op, int status) => op.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _);

    [Fact]
    public async Task Document_IsValidOpenApi31()
    {
        var json = await App.Anonymous().GetStringAsync("/openapi/v1.json");
        var read = Microsoft.OpenApi.Reader.OpenApiModelFactory.Parse(json, "json", new Microsoft.OpenApi.Reader.OpenApiReaderSettings());
        read.Diagnostic!.Errors.ShouldBeEmpty(string.Join("; ", read.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        var errors = Microsoft.OpenApi.OpenApiElementExtensions.Validate(read.Document!, Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        errors.ShouldBeEmpty(string.Join("; ", errors.Select(e => $"{e.Pointer}: {e.Message}")));
        read.Document!.Paths.Count.ShouldBeGreaterThan(40);
    }

    [Fact]
    public async Task Security_IsOnAuthenticatedOperationsOnly_AndThoseDeclare401()
    {
        var doc = await DocumentAsync();
        doc.TryGetProperty("security", out _).ShouldBeFalse("no document-wide security: anonymous operations would inherit it");
        foreach (var (method, path, op) in Operations(doc))
        {
            var name = $"{method} {path}";
            var secured = op.TryGetProperty("security", out var security) && security.GetArrayLength() > 0;
            if (AnonymousOperations.Contains(name))
            {
                secured.ShouldBeFalse($"{name} is anonymous");
                continue;
            }
            secured.ShouldBeTrue($"{name} requires a token");
            security[0].TryGetProperty("Bearer", out _).ShouldBeTrue(name);
            Declares(op, 401).ShouldBeTrue($"{name} must declare 401");
            op.GetProperty("responses").GetProperty("401").GetProperty("headers").TryGetProperty("WWW-Authenticate", out _).ShouldBeTrue(name);
            if (path.StartsWith("/api/v1/admin/", StringComparison.Ordinal) || path.StartsWith("/api/v1/exchange-rates", StringComparison.Ordinal) && method != "GET")
                Declares(op, 403).ShouldBeTrue($"{name} is for admins and must declare 403");
            if (path.StartsWith("/api/", StringComparison.Ordinal)) Declares(op, 429).ShouldBeTrue($"{name} is rate limited");
        }
    }

    [Fact]
    public async Task EveryOperation_HasASummary_AndEveryErrorIsAProblem()
    {
        var doc = await DocumentAsync();
        foreach (var (method, path, op) in Operations(doc))
        {
            op.TryGetProperty("summary", out var summary).ShouldBeTrue($"{method} {path} has no summary");
            summary.GetString().ShouldNotBeNullOrWhiteSpace();
            // Written for clients: a handler's XML comment about its internals must not leak in.
            foreach (var word in path.StartsWith("/api/", StringComparison.Ordinal) ? new[] { "database", "cache", "PostgreSQL", "SQLite" } : [])
                summary.GetString()!.ShouldNotContain(word, Case.Insensitive, $"{method} {path}");
            foreach (var response in op.GetProperty("responses").EnumerateObject())
            {
                response.Value.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace($"{method} {path} {response.Name}");
                if (int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture) is >= 400 and not 503)
                    response.Value.GetProperty("content").TryGetProperty("application/problem+json", out _).ShouldBeTrue($"{method} {path} {response.Name} is a problem");
            }
        }
        var problem = Schema(doc, "ProblemDetails").GetProperty("properties");
        problem.TryGetProperty("traceId", out _).ShouldBeTrue();
        Schema(doc, "HttpValidationProblemDetails").GetProperty("properties").TryGetProperty("errors", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task CsvAndFileAnswers_AreDeclaredWithTheirMediaTypes()
    {
        var doc = await DocumentAsync();
        foreach (var path in new[] { "/api/v1/expenses/export", "/api/v1/reports/spending.csv" })
        {
            var ok = doc.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200");
            Types(ok.GetProperty("content").GetProperty("text/csv").GetProperty("schema")).ShouldBe(["string"], path);
        }
        var receipt = doc.GetProperty("paths").GetProperty("/api/v1/receipts/{id}").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        foreach (var type in new[] { "image/jpeg", "image/png", "image/webp", "application/pdf" })
            receipt.GetProperty(type).GetProperty("schema").GetProperty("format").GetString().ShouldBe("binary");
        // Every operation that answers CSV elsewhere (by name) declares it too.
        foreach (var (method, path, op) in Operations(doc).Where(o => o.Path.EndsWith(".csv", StringComparison.Ordinal) || o.Path.EndsWith("/export", StringComparison.Ordinal)))
            op.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/csv", out _).ShouldBeTrue($"{method} {path}");
    }

    [Fact]
    public async Task Uploads_AreMultipartBodies_WithABinaryFileAndTheirFormFields()
    {
        var doc = await DocumentAsync();
        var uploads = new Dictionary<string, string[]>
        {
            ["/api/v1/imports"] = ["file", "format", "mapping", "skipInvalid"],
            ["/api/v1/imports/preview"] = ["file", "format", "mapping"],
            ["/api/v1/exchange-rates/import"] = ["file"],
            ["/api/v1/expenses/{id}/receipts"] = ["file"],
        };
        foreach (var (path, fields) in uploads)
        {
            var content = doc.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content");
            content.EnumerateObject().Select(c => c.Name).ShouldBe(["multipart/form-data"], path);
            var schema = content.GetProperty("multipart/form-data").GetProperty("schema");
            Types(schema).ShouldBe(["object"], path);
            var properties = schema.GetProperty("properties");
            foreach (var field in fields) properties.TryGetProperty(field, out _).ShouldBeTrue($"{path} lacks form field {field}");
            properties.GetProperty("file").GetProperty("format").GetString().ShouldBe("binary");
            schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe(["file"], path);
        }
        var format = doc.GetProperty("paths").GetProperty("/api/v1/imports").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("format");
        format.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldContain("qif");
    }

    [Fact]
    public async Task RequestSchemas_RequireOnlyWhatTheUseCaseRequires()
    {
        var doc = await DocumentAsync();
        var send = Schema(doc, "SendTransferRequest");
        var required = send.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToList();
        required.ShouldNotContain("toAccountId");
        required.ShouldNotContain("toEmail");
        required.ShouldNotContain("hold");
        required.ShouldContain("fromAccountId");
        required.ShouldContain("amount");

        // Generic: in every schema a request body uses, a required field is not nullable.
        foreach (var (method, path, op) in Operations(doc))
        {
            if (!op.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json)) continue;
            if (!json.GetProperty("schema").TryGetProperty("$ref", out var reference)) continue;
            var schema = Schema(doc, reference.GetString()!.Split('/')[^1]);
            if (!schema.TryGetProperty("required", out var req)) continue;
            foreach (var field in req.EnumerateArray().Select(r => r.GetString()!))
                Types(schema.GetProperty("properties").GetProperty(field)).ShouldNotContain("null", $"{method} {path}: {field} is required but nullable");
        }
    }

    [Fact]
    public async Task Amounts_AreDecimalStrings_WithAPatternAndAnExample()
    {
        var doc = await DocumentAsync();
        var pattern = default(string);
        foreach (var name in new[] { "SendTransferRequest", "DepositRequest", "WithdrawalRequest", "ExpenseRequest", "BudgetRequest", "TransferResponse", "PaymentResponse", "ExpenseResponse", "EntryResponse" })
        {
            var amount = Schema(doc, name).GetProperty("properties").GetProperty("amount");
            Types(amount).ShouldContain("string", name);
            Types(amount).ShouldNotContain("number", name);
            pattern = amount.GetProperty("pattern").GetString();
            Regex.IsMatch("12.34", pattern!).ShouldBeTrue(name);
            Regex.IsMatch("1e3", pattern!).ShouldBeFalse(name);
            Regex.IsMatch("12,34", pattern!).ShouldBeFalse(name);
            amount.GetProperty("examples")[0].GetString().ShouldBe("12.34");
            amount.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
        }
        Schema(doc, "SendTransferRequest").GetProperty("properties").GetProperty("amount").GetProperty("description").GetString()!.ShouldContain("JSON number");
        foreach (var (schema, prop) in new[] { ("AccountResponse", "balance"), ("AccountResponse", "available"), ("BudgetResponse", "spent"), ("SpendingReport", "total") })
            Schema(doc, schema).GetProperty("properties").GetProperty(prop).TryGetProperty("pattern", out _).ShouldBeTrue($"{schema}.{prop}");
    }

    [Fact]
    public async Task FixedVocabularies_AreEnums()
    {
        var doc = await DocumentAsync();
        string[] Enum(string schema, string prop) =>
            Schema(doc, schema).GetProperty("properties").GetProperty(prop).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Enum("TransferResponse", "status").ShouldBe(["pending", "success", "failed", "voided", "expired"], ignoreOrder: true);
        Enum("PaymentResponse", "status").ShouldBe(["pending", "success", "failed"], ignoreOrder: true);
        Enum("UserResponse", "status").ShouldBe(["active", "suspended", "closed"], ignoreOrder: true);
        Enum("AccountResponse", "status").ShouldBe(["active", "suspended", "closed"], ignoreOrder: true);
        Enum("ExpenseRequest", "kind").ShouldBe(["expense", "income"], ignoreOrder: true);
        Enum("ExpenseResponse", "kind").ShouldBe(["expense", "income"], ignoreOrder: true);
        Enum("BudgetRequest", "period").ShouldBe(["monthly", "weekly"], ignoreOrder: true);
        Enum("EntryResponse", "direction").ShouldBe(["debit", "credit"], ignoreOrder: true);
        Enum("CreateRuleRequest", "match").ShouldBe(["all", "any"], ignoreOrder: true);
        Enum("RuleCondition", "field").ShouldBe(["payee", "description", "amount"], ignoreOrder: true);
        Enum("RuleCondition", "op").ShouldBe(["contains", "equals", "regex", "gt", "lt"], ignoreOrder: true);
        var groupBy = doc.GetProperty("paths").GetProperty("/api/v1/reports/spending").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "groupBy").GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString());
        groupBy.ShouldBe(["category", "month", "week", "day", "tag", "payee"], ignoreOrder: true);
        var status = doc.GetProperty("paths").GetProperty("/api/v1/transfers").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "status").GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString());
        status.ShouldBe(["pending", "success", "failed", "voided", "expired"], ignoreOrder: true);
    }

    [Fact]
    public async Task SchemaTables_NameOnlySchemasAndPropertiesTheDocumentHas()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        foreach (var (schema, property) in PayTrack.Infrastructure.Web.OpenApiSchemas.Entries())
        {
            schemas.TryGetProperty(schema, out var s).ShouldBeTrue($"Infrastructure/Web/OpenApiSchemas.cs names schema {schema}, which the document no longer has");
            if (property is not null)
                s.GetProperty("properties").TryGetProperty(property, out _).ShouldBeTrue($"Infrastructure/Web/OpenApiSchemas.cs names {schema}.{property}, which the document no longer has");
        }
    }

    /// <summary>A request to an operation, with its path parameters filled in.</summary>
    private static HttpRequestMessage Request(string method, string path, HttpContent? content)
    {
        var url = Regex.Replace(path, "{[^}]+}", _ => Guid.NewGuid().ToString());
        return new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
    }

    private static bool HasJsonBody(JsonElement op) => op.TryGetProperty("requestBody", out var b) && b.GetProperty("content").TryGetProperty("application/json", out _);
    private static bool HasMultipartBody(JsonElement op) => op.TryGetProperty("requestBody", out var b) && b.GetProperty("content").TryGetProperty("multipart/form-data", out _);

    [Fact]
    public async Task EveryOperation_Anonymous_Answers401WithBearerChallenge_WhenItRequiresAToken()
    {
        var doc = await DocumentAsync();
        var operations = OpenApiContract.Parse(doc);
        var anonymous = App.Anonymous();
        var observed = new List<OpenApiContract.Observation>();
        foreach (var (method, path, op) in Operations(doc).Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)))
        {
            // The wrong media type on purpose: authentication still comes first.
            using var request = Request(method, path, HasJsonBody(op) || HasMultipartBody(op) ? new StringContent("x", Encoding.UTF8, "text/plain") : null);
            var res = await anonymous.SendAsync(request);
            observed.Add(new(method, request.RequestUri!.OriginalString, (int)res.StatusCode));
            if (AnonymousOperations.Contains($"{method} {path}")) continue;
            res.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
            res.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer", $"{method} {path}");
        }
        OpenApiContract.Violations(operations, observed).ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryOperation_RefusalPaths_AnswerDeclaredStatuses()
    {
        var doc = await DocumentAsync();
        var operations = OpenApiContract.Parse(doc);
        await App.RegisterAndSignInAsync(); // the first user is the admin; the caller below is not
        var user = await App.RegisterAndSignInAsync();
        var observed = new List<OpenApiContract.Observation>();

        async Task<HttpStatusCode> SendAsync(string method, string path, HttpContent? content)
        {
            using var request = Request(method, path, content);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            // Headers only: an event stream (GET /me/events) never ends; disposing the answer closes it.
            using var res = await user.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            observed.Add(new(method, request.RequestUri!.OriginalString, (int)res.StatusCode));
            if ((int)res.StatusCode >= 400) res.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{method} {path} {(int)res.StatusCode}");
            return res.StatusCode;
        }

        // Signing out ends the caller's session, so it goes last.
        foreach (var (method, path, op) in Operations(doc).Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)).OrderBy(o => o.Path == "/api/v1/auth/logout"))
        {
            var name = $"{method} {path}";
            var forAdmins = Declares(op, 403) && (path.StartsWith("/api/v1/admin/", StringComparison.Ordinal) || path.StartsWith("/api/v1/exchange-rates", StringComparison.Ordinal) && method != "GET");
            var hasPathId = path.Contains('{', StringComparison.Ordinal);
            if (HasJsonBody(op))
            {
                var wrongType = await SendAsync(method, path, new StringContent("{}", Encoding.UTF8, "text/plain"));
                var malformed = await SendAsync(method, path, new StringContent("{\"x\": ", Encoding.UTF8, "application/json"));
                var empty = await SendAsync(method, path, new StringContent("{}", Encoding.UTF8, "application/json"));
                if (forAdmins) (wrongType, malformed, empty).ShouldBe((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), name);
                else
                {
                    wrongType.ShouldBe(HttpStatusCode.UnsupportedMediaType, name);
                    malformed.ShouldBe(HttpStatusCode.BadRequest, name);
                }
            }
            else if (HasMultipartBody(op))
            {
                var wrongType = await SendAsync(method, path, new StringContent("{}", Encoding.UTF8, "application/json"));
                var noFile = await SendAsync(method, path, new MultipartFormDataContent { { new StringContent("csv"), "format" } });
                if (forAdmins) wrongType.ShouldBe(HttpStatusCode.Forbidden, name);
                else if (!hasPathId)
                {
                    wrongType.ShouldBe(HttpStatusCode.UnsupportedMediaType, name);
                    noFile.ShouldBe(HttpStatusCode.BadRequest, name);
                }
            }
            else
            {
                var status = await SendAsync(method, path, null);
                if (forAdmins) status.ShouldBe(HttpStatusCode.Forbidden, name);
                else if (hasPathId && path != "/api/v1/payments/callback") status.ShouldBe(HttpStatusCode.NotFound, name);
            }
            if (op.TryGetProperty("parameters", out var parameters) && parameters.EnumerateArray().Any(p => p.GetProperty("in").GetString() == "query"))
                await SendAsync(method, path + "?limit=0&cursor=zz!&from=yesterday&groupBy=decade&status=lost", null);
        }
        OpenApiContract.Violations(operations, observed).ShouldBeEmpty();
    }
}
