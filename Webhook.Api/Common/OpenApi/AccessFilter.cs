using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Webhook.Api.Common.OpenApi;

/// <summary>
/// Who may call each operation, read from its authorization metadata: routes that need a token get the Bearer
/// requirement and a sentence naming the scope; anonymous routes say so explicitly (an empty requirement).
/// </summary>
internal sealed class AccessFilter : IOperationFilter
{
    public const string BearerScheme = "Bearer";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).OfType<string>().Distinct().ToList();
        var needsToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();

        var access = needsToken
            ? policies.Count == 0
                ? "Needs a bearer token."
                : $"Needs a bearer token with scope {string.Join(" and ", policies.Select(p => $"`{p}`"))}."
            : null;
        operation.Description = string.Join(" ", new[] { operation.Description ?? operation.Summary, access }
            .Where(part => !string.IsNullOrWhiteSpace(part)));

        operation.Security = needsToken
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }]
            : [];
    }
}
