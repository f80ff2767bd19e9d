using Microsoft.OpenApi;

namespace Webhook.Api.Common.OpenApi;

/// <summary>
/// Free-form JSON bags (tags, options, metadata, capability, query, additional_info, raw_data) are documented as
/// what they are on the wire, a JSON object with any members, never as the .NET shape of JsonElement or JsonNode.
/// </summary>
internal static class FreeFormJson
{
    public static readonly Type[] Types = [typeof(JsonElement), typeof(JsonObject), typeof(JsonNode), typeof(JsonDocument)];

    public static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        AdditionalPropertiesAllowed = true,
        AdditionalProperties = new OpenApiSchema(),
    };
}
