using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Webhook.Api.Common.OpenApi;

/// <summary>Marks routes that read the raw body themselves and take any payload (the event receivers).</summary>
internal sealed class AnyPayloadBody
{
    public static readonly AnyPayloadBody Instance = new();
}

internal static class AnyPayloadBodyExtensions
{
    /// <summary>Documents the routes of the group as taking any JSON, text or form body.</summary>
    public static RouteGroupBuilder AcceptsAnyPayload(this RouteGroupBuilder group) => group.WithMetadata(AnyPayloadBody.Instance);
}

/// <summary>
/// The receivers bind no body parameter (they read the bytes), so nothing would be documented and Swagger UI
/// could not send an event. This documents what senders really post.
/// </summary>
internal sealed class AnyPayloadBodyFilter : IOperationFilter
{
    private const string ExamplePayload = """
        {"status": "firing", "alerts": [{"status": "firing", "fingerprint": "a1b2c3d4e5f60718",
          "labels": {"alertname": "HighCpu", "severity": "critical", "instance": "web-1"},
          "annotations": {"summary": "CPU above 90% for 5 minutes"}, "startsAt": "2026-01-01T00:00:00Z"}]}
        """;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AnyPayloadBody>().Any())
        {
            return;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Description = "The sender's payload, as it sends it: JSON (also when sent as text/plain), form data (stored "
                + "as an object) or any other text (kept as text). Never rejected for its content, only for its size.",
            Required = false,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = FreeFormJson.Schema(), Example = JsonNode.Parse(ExamplePayload) },
                ["text/plain"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    Example = JsonValue.Create("""{"alerts": []}"""),
                },
                ["application/x-www-form-urlencoded"] = new OpenApiMediaType
                {
                    Schema = FreeFormJson.Schema(),
                    Example = new JsonObject { ["message"] = "disk full", ["host"] = "web-1" },
                },
            },
        };
    }
}
