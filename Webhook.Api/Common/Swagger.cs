using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Webhook.Api.Common.OpenApi;
using Webhook.Infrastructure;

namespace Webhook.Api.Common;

/// <summary>
/// The served OpenAPI document (/swagger/v1/swagger.json) and Swagger UI. The rules live in filters that read
/// endpoint metadata (authorization, declared problems, validators, body kind), so a new route is documented by
/// the same rules as the others without an entry here.
/// </summary>
internal static class Swagger
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddSwagger(this IServiceCollection services) =>
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Webhook service",
                Version = DocumentName,
                Description = "SpaceONE-compatible monitoring webhooks: bind senders to plugins, receive and query events.",
            });
            options.SupportNonNullableReferenceTypes();
            foreach (var freeForm in FreeFormJson.Types)
            {
                options.MapType(freeForm, FreeFormJson.Schema);
            }

            options.AddSecurityDefinition(AccessFilter.BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from the configured issuer (locally: scripts/dev-token.sh) carrying domain_id and scope.",
            });
            options.DocumentFilter<RequiredFieldsFilter>();
            options.OperationFilter<AccessFilter>();
            options.OperationFilter<AnyPayloadBodyFilter>();
            options.OperationFilter<RequestExampleFilter>();
            options.OperationFilter<ErrorResponsesFilter>();
            options.DocumentFilter<TagsAndComponentsFilter>();
        });

    /// <summary>Serves the document with the server it is reached at (or the configured public base URL) and the UI.</summary>
    public static WebApplication UseSwaggerDocument(this WebApplication app)
    {
        var publicBaseUrl = app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.PublicBaseUrl;
        app.UseSwagger(options => options.PreSerializeFilters.Add((document, request) =>
            document.Servers = [new OpenApiServer
            {
                Url = string.IsNullOrWhiteSpace(publicBaseUrl)
                    ? $"{request.Scheme}://{request.Host}{request.PathBase}"
                    : publicBaseUrl.TrimEnd('/'),
                Description = "This service",
            }]));
        app.UseSwaggerUI();
        return app;
    }
}
