namespace Webhook.Plugins.Prometheus;

internal sealed class PrometheusPlugin : IWebhookPlugin
{
    public PluginDescriptor Descriptor { get; } = new(
        BasePath: "prometheus",
        PluginId: "plugin-prometheus-mon-webhook",
        Name: "Prometheus Alertmanager",
        Description: "Receives Prometheus Alertmanager webhook notifications (version 4); one event per alert, keyed by its fingerprint.",
        ContentTypes: ["application/json"],
        Formats: ["Alertmanager webhook (version 4)"],
        Options: []);

    public Task<IReadOnlyList<EventInfo>> ParseAsync(JsonNode? data, JsonObject options, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Task.FromResult(AlertmanagerParser.Parse(data));
}
