using System.Text.Json.Serialization;
using Refit;

namespace Webhook.Infrastructure.Plugins;

/// <summary>The plugin HTTP protocol (DESIGN.md "Plugins"); the base address is the plugin version's endpoint.</summary>
public interface IPluginApi
{
    [Post("/monitoring/plugin/v1/webhook/init")]
    Task<IApiResponse<PluginInitResponse>> InitAsync([Body] PluginOptionsRequest request, CancellationToken cancellationToken);

    [Post("/monitoring/plugin/v1/webhook/verify")]
    Task<IApiResponse<JsonElement>> VerifyAsync([Body] PluginOptionsRequest request, CancellationToken cancellationToken);

    [Post("/monitoring/plugin/v1/event/parse")]
    Task<IApiResponse<PluginParseResponse>> ParseAsync([Body] PluginParseRequest request, CancellationToken cancellationToken);
}

public sealed record PluginOptionsRequest(JsonElement Options);

public sealed record PluginInitResponse(JsonElement? Metadata);

public sealed record PluginParseRequest(JsonElement Options, JsonElement Data);

/// <summary>Results stay raw JSON: each EventInfo is checked field by field, so one odd field names itself.</summary>
public sealed record PluginParseResponse(JsonElement? Results);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PluginOptionsRequest))]
[JsonSerializable(typeof(PluginInitResponse))]
[JsonSerializable(typeof(PluginParseRequest))]
[JsonSerializable(typeof(PluginParseResponse))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class PluginJsonContext : JsonSerializerContext;
