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

    /// <summary>
    /// Tries a request may spend on failures of its own (the plugin answers it 5xx or garbage while it serves others);
    /// then it is FAILED with one ERROR event. Outages spend none.
    /// </summary>
    [Range(1, 1000)]
    public int ParseMaxAttempts { get; set; } = 10;

    /// <summary>Age after which a request that still cannot be parsed (outage or not) is FAILED with one ERROR event.</summary>
    [Range(0.0001, 100_000)]
    public double ParseMaxAgeHours { get; set; } = 168;

    /// <summary>Largest plugin answer read; a larger one makes that request an ERROR event.</summary>
    [Range(1024, int.MaxValue)]
    public long MaxPluginAnswerBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Events kept per request; one ERROR event says how many more were dropped.</summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerRequest { get; set; } = 1000;

    /// <summary>Per webhook token bucket: the burst a webhook may send at once (requests with the right key only).</summary>
    [Range(1, 10_000_000)]
    public int WebhookRateLimitBurst { get; set; } = 500;

    /// <summary>Per webhook token bucket: tokens added back each second.</summary>
    [Range(1, 10_000_000)]
    public int WebhookRateLimitPerSecond { get; set; } = 100;

    /// <summary>Denied (403) requests a sender address may make per minute; beyond it its key failures are 429.</summary>
    [Range(1, 10_000_000)]
    public int SenderDeniedPerMinute { get; set; } = 60;

    /// <summary>Bytes held in memory for requests not yet stored (partly read bodies included); beyond it, 503.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most rows one search or statistics page returns, also when <c>page.limit</c> is missing.</summary>
    [Range(1, 1_000_000)]
    public long MaxResults { get; set; } = 1000;

    /// <summary>PostgreSQL statement_timeout of searches and statistics: past it, 400 ERROR_QUERY_TIMEOUT.</summary>
    [Range(0.01, 3600)]
    public double QueryTimeoutSeconds { get; set; } = 10;

    /// <summary>Connections the query side may hold; ingestion and parsing have their own pool, which queries never touch.</summary>
    [Range(1, 1000)]
    public int QueryMaxConnections { get; set; } = 20;

    /// <summary>How often the heartbeat job looks for webhooks that fell silent (DESIGN.md: at least every 5 s).</summary>
    [Range(0.05, 5)]
    public double HeartbeatCheckSeconds { get; set; } = 5;

    /// <summary>Most raw requests one replay call may re-parse; more is a 400 asking for a narrower time range.</summary>
    [Range(1, 1_000_000)]
    public int ReplayMaxRequests { get; set; } = 1000;
}
