namespace Webhook.Plugins.Common;

/// <summary>
/// What each plugin supplies; <see cref="PluginEndpoints"/> does the protocol around it.
/// </summary>
internal interface IWebhookPlugin
{
    PluginDescriptor Descriptor { get; }

    /// <summary>
    /// Turns one raw payload into events. Throws <see cref="PayloadException"/> for a payload the
    /// plugin does not understand. Options have already passed <see cref="OptionChecker"/>.
    /// </summary>
    Task<IReadOnlyList<EventInfo>> ParseAsync(JsonNode? data, JsonObject options, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}

/// <summary>Static description of a plugin: where it lives and what init reports.</summary>
internal sealed record PluginDescriptor(
    string BasePath,
    string PluginId,
    string Name,
    string Description,
    IReadOnlyList<string> ContentTypes,
    IReadOnlyList<string> Formats,
    IReadOnlyList<OptionSpec> Options)
{
    public const string Version = "1.0.0";

    public JsonObject Metadata()
    {
        var properties = new JsonObject();
        foreach (var option in Options)
        {
            properties[option.Name] = option.Schema();
        }

        return new JsonObject
        {
            ["plugin_id"] = PluginId,
            ["name"] = Name,
            ["version"] = Version,
            ["description"] = Description,
            ["accepts"] = new JsonObject
            {
                ["content_types"] = new JsonArray([.. ContentTypes.Select(c => (JsonNode)JsonValue.Create(c))]),
                ["formats"] = new JsonArray([.. Formats.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
            ["options_schema"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = properties,
            },
            ["event_types"] = new JsonArray([.. EventTypes.All.Select(t => (JsonNode)JsonValue.Create(t))]),
            ["severities"] = new JsonArray([.. Severities.All.Select(s => (JsonNode)JsonValue.Create(s))]),
        };
    }
}
