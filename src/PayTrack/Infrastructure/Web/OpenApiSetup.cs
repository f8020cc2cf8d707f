using Microsoft.OpenApi;

namespace PayTrack.Infrastructure.Web;

public static class OpenApiSetup
{
    /// <summary>The OpenAPI document at /openapi/v1.json, with the bearer scheme declared.</summary>
    public static IServiceCollection AddPayTrackOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddOperationTransformer((operation, context, _) =>
        {
            // Endpoints that take an Idempotency-Key say so, and whether it is required.
            var idempotency = context.Description.ActionDescriptor.EndpointMetadata.OfType<Idempotency.IdempotencyMetadata>().FirstOrDefault();
            if (idempotency is not null)
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = Idempotency.IdempotencyFilter.Header,
                    In = ParameterLocation.Header,
                    Required = idempotency.Required,
                    Description = "1–255 characters, scoped to you, kept at least 24 hours. The same key and request replays the first answer (header Idempotent-Replayed: true).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                });
            }
            return Task.CompletedTask;
        }).AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info = new OpenApiInfo
            {
                Title = "PayTrack API",
                Version = "v1",
                Description = "Expenses, wallets, transfers and reports. Authenticate with POST /api/v1/auth/token, then send Authorization: Bearer <accessToken>.",
            };
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Access token from POST /api/v1/auth/token.",
            };
            doc.Security ??= [];
            doc.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", doc)] = [] });
            return Task.CompletedTask;
        }));
}
