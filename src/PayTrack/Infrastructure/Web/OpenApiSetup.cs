using Microsoft.OpenApi;

namespace PayTrack.Infrastructure.Web;

public static class OpenApiSetup
{
    /// <summary>The OpenAPI document at /openapi/v1.json, with the bearer scheme declared.</summary>
    public static IServiceCollection AddPayTrackOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
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
