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
}

public sealed record PluginOptionsRequest(JsonElement Options);

public sealed record PluginInitResponse(JsonElement? Metadata);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PluginOptionsRequest))]
[JsonSerializable(typeof(PluginInitResponse))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class PluginJsonContext : JsonSerializerContext;
