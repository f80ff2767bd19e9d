namespace Webhook.Plugins.ApiDirect;

internal sealed class ApiDirectPlugin : IWebhookPlugin
{
    public PluginDescriptor Descriptor { get; } = new(
        BasePath: "api-direct",
        PluginId: "plugin-api-direct-mon-webhook",
        Name: "API Direct",
        Description: "Receives events already in event form (or {\"results\": [...]} for several); "
            + "load_json decodes JSON held in strings and convert_data maps any JSON body onto event fields.",
        ContentTypes: ["application/json", "text/plain"],
        Formats: ["event object or {\"results\": [event, ...]}"],
        Options: ApiDirectParser.Options);

    public Task<IReadOnlyList<EventInfo>> ParseAsync(JsonNode? data, JsonObject options, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Task.FromResult(ApiDirectParser.Parse(data, options, receivedAt));
}
