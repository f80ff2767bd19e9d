namespace Webhook.Plugins.AzureMonitor;

internal sealed class AzureMonitorPlugin : IWebhookPlugin
{
    public PluginDescriptor Descriptor { get; } = new(
        BasePath: "azure-monitor",
        PluginId: "plugin-azure-monitor-mon-webhook",
        Name: "Azure Monitor",
        Description: "Receives Azure Monitor action-group webhooks: the common alert schema, and the older metric, activity log and log search alert schemas.",
        ContentTypes: ["application/json"],
        Formats: ["Azure Monitor common alert schema", "metric alert", "activity log alert", "log search alert"],
        Options: []);

    public Task<IReadOnlyList<EventInfo>> ParseAsync(JsonNode? data, JsonObject options, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Task.FromResult(AzureMonitorParser.Parse(data));
}
