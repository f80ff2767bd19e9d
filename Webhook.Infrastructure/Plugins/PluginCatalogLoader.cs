using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Webhook.Domain.Plugins;

namespace Webhook.Infrastructure.Plugins;

/// <summary>
/// Reads the <c>Plugins</c> configuration section:
/// <c>{"plugin-id": {"Name": "...", "Capability": {...}, "Versions": {"1.0.0": "http://..."}}}</c>.
/// Environment variables override it (<c>Plugins__plugin-x__Versions__1.0.0=http://...</c>).
/// </summary>
internal static class PluginCatalogLoader
{
    public const string SectionName = "Plugins";

    public static PluginCatalog Load(IConfiguration configuration)
    {
        var plugins = new List<PluginDescriptor>();
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var versions = section.GetSection("Versions").GetChildren()
                .Select(v => new PluginVersion(v.Key, ParseEndpoint(section.Key, v.Key, v.Value)))
                .ToList();
            if (versions.Count == 0)
            {
                throw new InvalidOperationException($"Plugin '{section.Key}' has no Versions in configuration.");
            }

            var capability = ToJson(section.GetSection("Capability")) as JsonObject ?? [];
            plugins.Add(new PluginDescriptor(
                section.Key,
                section["Name"] ?? section.Key,
                JsonSerializer.SerializeToElement(capability),
                versions));
        }

        return new PluginCatalog(plugins);
    }

    private static Uri ParseEndpoint(string pluginId, string version, string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException(
                $"Plugin '{pluginId}' version '{version}' needs an absolute http(s) endpoint, not '{value}'.");

    /// <summary>Configuration has no JSON types: sections become objects, values stay strings.</summary>
    private static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        var result = new JsonObject();
        foreach (var child in children)
        {
            result[child.Key] = ToJson(child);
        }

        return result;
    }
}
