using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// The OpenAPI document at /openapi/v1.json. The framework describes what the handlers' typed results and
/// the endpoints' <c>.Produces...</c> metadata say; <see cref="OpenApiOperations"/> adds what the pipeline
/// answers (401, 403, 429, 400/413/415, 404, the idempotency statuses) and the security requirements;
/// <see cref="OpenApiSchemas"/> adds amounts, enums, descriptions and the honest <c>required</c> lists.
/// Kept honest by the test suite, which checks every status it receives against this document. ADR 0028.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddPayTrackOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o
            .AddSchemaTransformer(OpenApiSchemas.TransformAsync)
            .AddOperationTransformer(OpenApiOperations.TransformAsync)
            .AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info = new OpenApiInfo
                {
                    Title = "PayTrack API",
                    Version = "v1",
                    Description = "Expenses, wallets, transfers and reports. Authenticate with POST /api/v1/auth/token, then send Authorization: Bearer <accessToken>. "
                        + "Amounts are decimal strings in major units next to an ISO 4217 currency code. Every refusal is an RFC 9457 problem (application/problem+json).",
                };
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[OpenApiOperations.BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "Access token from POST /api/v1/auth/token.",
                };
                // Security is declared per operation: only those that require a signed-in caller carry it.
                doc.Security = null;
                DescribeProblems(doc);
                OpenApiSchemas.Apply(doc);
                AddHealth(doc);
                return Task.CompletedTask;
            }));

    /// <summary>The problem schemas every error response refers to, with the fields PayTrack always adds.</summary>
    private static void DescribeProblems(OpenApiDocument doc)
    {
        doc.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var name in new[] { OpenApiOperations.ProblemSchema, OpenApiOperations.ValidationProblemSchema })
        {
            if (!doc.Components.Schemas.TryGetValue(name, out var existing) || existing is not OpenApiSchema schema)
            {
                schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>() };
                foreach (var p in new[] { "type", "title", "detail", "instance" }) schema.Properties[p] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null };
                schema.Properties["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null };
                if (name == OpenApiOperations.ValidationProblemSchema)
                    schema.Properties["errors"] = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } } };
                doc.Components.Schemas[name] = schema;
            }
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when reporting a problem; it finds the request in the logs." };
            if (schema.Properties.TryGetValue("type", out var type) && type is OpenApiSchema t) t.Description = "/problems/<slug> for business rules; otherwise the RFC 9110 section of the status.";
            if (schema.Properties.TryGetValue("errors", out var errors) && errors is OpenApiSchema e) e.Description = "Messages per request field.";
        }
    }

    /// <summary>The health endpoints are not minimal-API handlers, so the generator does not see them.</summary>
    private static void AddHealth(OpenApiDocument doc)
    {
        OpenApiPathItem Health(string summary, bool ready)
        {
            var responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy.", Content = Text("Healthy") },
            };
            if (ready) responses["503"] = new OpenApiResponse { Description = "The database does not answer or a migration is pending.", Content = Text("Unhealthy") };
            var operation = new OpenApiOperation { Summary = summary, Tags = new HashSet<OpenApiTagReference> { new("Health", doc) }, Responses = responses };
            // The request-shape checks come before every endpoint, these too.
            foreach (var status in new[] { 400, 414, 431 }) OpenApiOperations.AddProblem(operation, doc, status);
            return new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
        }
        static Dictionary<string, OpenApiMediaType> Text(string example) => new()
        {
            ["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Examples = [JsonValue.Create(example)] } },
        };
        doc.Tags ??= new HashSet<OpenApiTag>();
        doc.Tags.Add(new OpenApiTag { Name = "Health", Description = "Liveness and readiness for load balancers and orchestrators; no authentication." });
        doc.Paths.Add("/health/live", Health("Answers 200 while the process is up.", ready: false));
        doc.Paths.Add("/health/ready", Health("Answers 200 when the database answers and every migration is applied, else 503.", ready: true));
    }
}
