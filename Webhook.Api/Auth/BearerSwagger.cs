using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Webhook.Api.Auth;

/// <summary>
/// Swagger UI's Authorize button (an HTTP Bearer scheme) and, on every operation that needs a token (read from its
/// authorization metadata, so new routes are covered), the security requirement and its 401 and 403 answers.
/// </summary>
internal static class BearerSwagger
{
    public const string SchemeId = "Bearer";

    public static void AddBearer(this SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(SchemeId, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT from your identity provider (locally: scripts/dev-token.sh --domain domain-1). Claims: sub, "
                + "domain_id, scope (webhook:read webhook:write event:read audit:read system), optional projects.",
        });
        options.OperationFilter<BearerOperationFilter>();
    }

    private sealed class BearerOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
            if (metadata.OfType<IAllowAnonymous>().Any() || scopes.Count == 0)
            {
                return;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
            var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", Problem(
                "ERROR_AUTHENTICATE_FAILURE: no valid bearer token (missing, malformed, expired, or wrong issuer, audience or signature).",
                problem));
            operation.Responses.TryAdd("403", Problem(
                $"ERROR_PERMISSION_DENIED: the token lacks the scope {string.Join(", ", scopes)}, or its domain_id does not cover the request.",
                problem));
        }

        private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
        };
    }
}
