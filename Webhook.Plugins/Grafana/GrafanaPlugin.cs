namespace Webhook.Plugins.Grafana;

internal sealed class GrafanaPlugin : IWebhookPlugin
{
    public PluginDescriptor Descriptor { get; } = new(
        BasePath: "grafana",
        PluginId: "plugin-grafana-mon-webhook",
        Name: "Grafana",
        Description: "Receives Grafana alert webhooks: unified alerting (one event per alert) and legacy dashboard alerting (one event per rule state change).",
        ContentTypes: ["application/json"],
        Formats: ["Grafana unified alerting webhook", "Grafana legacy alerting webhook"],
        Options: []);

    public Task<IReadOnlyList<EventInfo>> ParseAsync(JsonNode? data, JsonObject options, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Task.FromResult(GrafanaParser.Parse(data));
}
