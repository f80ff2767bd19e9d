using System.Diagnostics.Metrics;
using Webhook.Infrastructure.Events;

namespace Webhook.Infrastructure.Telemetry;

/// <summary>What the receiver answered a sender: the <c>outcome</c> of <c>webhook.requests.received</c>.</summary>
public enum ReceiveOutcome
{
    Accepted,
    Denied,
    Disabled,
    TooLarge,
    QueueFull,
    StoreFailed,

    /// <summary>429: the webhook over its rate limit, or its sender address past its denied requests.</summary>
    RateLimited,

    /// <summary>503: the memory budget for requests not yet stored is spent.</summary>
    OverBudget,
}

/// <summary>What one parse attempt of a stored request came to: the <c>outcome</c> of <c>webhook.parse.outcomes</c>.</summary>
public enum ParseResult
{
    /// <summary>The plugin answered events; they are stored.</summary>
    Parsed,

    /// <summary>The plugin could not parse it: one ERROR event is stored instead.</summary>
    Error,

    /// <summary>The plugin was unreachable or failing: the request waits and is tried again.</summary>
    Retry,
}

/// <summary>
/// Every instrument of the service's own meter, in one place (names in OpenTelemetry style, with units); the
/// code that does the work calls these methods. Labels have a fixed, small set of values (outcomes, plugin ids
/// from the registry, event types and severities): never a webhook id, domain or path, which would grow one
/// time series per tenant and carry secrets (see docs/decisions.md).
/// </summary>
public sealed class WebhookMetrics
{
    public const string MeterName = "Webhook";

    // Tags are built once: the receiver and the ingest writer record on every request, and a prebuilt
    // KeyValuePair costs no allocation per call.
    private static readonly KeyValuePair<string, object?>[] ReceiveTags =
        Enum.GetValues<ReceiveOutcome>().Select(o => Tag("outcome", Snake(o.ToString()))).ToArray();

    private static readonly KeyValuePair<string, object?>[] ParseTags =
        Enum.GetValues<ParseResult>().Select(o => Tag("outcome", Snake(o.ToString()))).ToArray();

    private readonly Counter<long> _requestsReceived;
    private readonly Histogram<int> _ingestBatchSize;
    private readonly Counter<long> _parseOutcomes;
    private readonly Histogram<double> _pluginCallDuration;
    private readonly Counter<long> _eventsStored;

    public WebhookMetrics(IMeterFactory meterFactory, IngestQueue queue, PendingRequests pending)
    {
        var meter = meterFactory.Create(MeterName);

        _requestsReceived = meter.CreateCounter<long>(
            "webhook.requests.received", "{request}",
            "Requests senders posted to webhook URLs, by what the receiver answered (outcome).");

        meter.CreateObservableUpDownCounter(
            "webhook.ingest.queue.depth", () => (long)queue.Depth, "{request}",
            "Received requests waiting in memory for the ingest writer.");
        meter.CreateObservableUpDownCounter(
            "webhook.ingest.queue.size", () => queue.Bytes, "By",
            "Memory held by the requests waiting for the ingest writer (payload and headers as held, UTF-16).");
        _ingestBatchSize = meter.CreateHistogram(
            "webhook.ingest.batch.size", "{request}",
            "Requests one ingest statement stored or refused together (one commit per batch).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });

        meter.CreateObservableGauge(
            "webhook.requests.pending", () => Backlog(pending, b => b.Count),
            "{request}", "Stored requests not parsed yet (new ones and ones waiting for their plugin), read at scrape time.");
        meter.CreateObservableGauge(
            "webhook.requests.pending.oldest_age", () => Backlog(pending, b => b.OldestAgeSeconds),
            "s", "Age of the oldest stored request not parsed yet (0 when none waits).");

        _parseOutcomes = meter.CreateCounter<long>(
            "webhook.parse.outcomes", "{request}",
            "Parse attempts of stored requests by outcome: parsed (events stored), error (one ERROR event stored), retry (plugin unavailable).");
        _pluginCallDuration = meter.CreateHistogram(
            "webhook.plugin.call.duration", "s",
            "Plugin calls (init, verify, parse) by plugin_id, operation and outcome (ok, rejected, unavailable), retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _eventsStored = meter.CreateCounter<long>(
            "webhook.events.stored", "{event}",
            "Events stored by event_type and severity (parse errors are ERROR events).");
    }

    public void RequestReceived(ReceiveOutcome outcome) => _requestsReceived.Add(1, ReceiveTags[(int)outcome]);

    public void IngestBatch(int size) => _ingestBatchSize.Record(size);

    public void Parsed(ParseResult result, int requests) => _parseOutcomes.Add(requests, ParseTags[(int)result]);

    /// <param name="pluginId">From the plugin registry (configuration), so the label's values stay few.</param>
    /// <param name="operation">init, verify or parse.</param>
    /// <param name="outcome">ok, rejected (the plugin's 4xx) or unavailable.</param>
    public void PluginCall(string pluginId, string operation, string outcome, TimeSpan elapsed) =>
        _pluginCallDuration.Record(
            elapsed.TotalSeconds, Tag("plugin_id", pluginId), Tag("operation", operation), Tag("outcome", outcome));

    /// <param name="eventType">ALERT, RECOVERY or ERROR (validated before storing, so the values stay few).</param>
    /// <param name="severity">One of the six severities.</param>
    public void EventsStored(string eventType, string severity, long count) =>
        _eventsStored.Add(count, Tag("event_type", eventType), Tag("severity", severity));

    /// <summary>No measurement at all when the backlog could not be read: a gap, not a false zero.</summary>
    private static IEnumerable<Measurement<T>> Backlog<T>(PendingRequests pending, Func<PendingBacklog, T> value)
        where T : struct =>
        pending.Read() is { } backlog ? [new Measurement<T>(value(backlog))] : [];

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
