using System.ComponentModel.DataAnnotations;

namespace Webhook.Infrastructure;

public sealed class WebhookOptions
{
    public const string SectionName = "Webhook";

    /// <summary>Base of every webhook_url; empty means the scheme and host of the create request.</summary>
    public string PublicBaseUrl { get; set; } = "";

    public bool ApplyMigrationsOnStart { get; set; } = true;

    [Range(1, 100 * 1024 * 1024)]
    public int MaxEventBodyBytes { get; set; } = 5 * 1024 * 1024;

    [Range(0.05, 300)]
    public double PluginTimeoutSeconds { get; set; } = 10;

    [Range(0, 10)]
    public int PluginRetries { get; set; } = 2;

    /// <summary>Accepted requests waiting for the ingest writer; beyond this the receiver answers 503.</summary>
    [Range(1, 1_000_000)]
    public int IngestQueueCapacity { get; set; } = 10_000;

    /// <summary>Most raw requests one ingest statement stores (one commit acknowledges them all).</summary>
    [Range(1, 10_000)]
    public int IngestMaxBatch { get; set; } = 256;

    /// <summary>
    /// Ingest writers, each owning a lane of webhooks (by webhook id). Each stores whole batches with one statement;
    /// a few let one batch's commit overlap another's lookup. 1 gives strictly one writer.
    /// </summary>
    [Range(1, 64)]
    public int IngestWriters { get; set; } = 3;

    /// <summary>Runs the background parse worker in this process (several processes may share the work).</summary>
    public bool ParseWorkerEnabled { get; set; } = true;

    /// <summary>Raw requests one worker claims at a time.</summary>
    [Range(1, 10_000)]
    public int ParseBatchSize { get; set; } = 128;

    /// <summary>Plugin parse calls in flight at once per worker loop.</summary>
    [Range(1, 1_000)]
    public int ParseConcurrency { get; set; } = 32;

    /// <summary>Worker loops per process; each claims its own batch, so claims, plugin calls and commits overlap.</summary>
    [Range(1, 64)]
    public int ParseWorkers { get; set; } = 2;

    /// <summary>How often an idle worker looks for due requests (new requests in this process wake it at once).</summary>
    [Range(10, 600_000)]
    public int ParsePollIntervalMs { get; set; } = 1000;

    /// <summary>First retry delay after a plugin outage; doubles per attempt up to <see cref="ParseRetryMaxSeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double ParseRetryBaseSeconds { get; set; } = 1;

    [Range(0.01, 86_400)]
    public double ParseRetryMaxSeconds { get; set; } = 300;

    /// <summary>How often the heartbeat job looks for webhooks that fell silent (DESIGN.md: at least every 5 s).</summary>
    [Range(0.05, 5)]
    public double HeartbeatCheckSeconds { get; set; } = 5;

    /// <summary>Most raw requests one replay call may re-parse; more is a 400 asking for a narrower time range.</summary>
    [Range(1, 1_000_000)]
    public int ReplayMaxRequests { get; set; } = 1000;
}
