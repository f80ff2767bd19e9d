namespace Webhook.Infrastructure.Events;

/// <summary>
/// One raw request a sender POSTed to a webhook URL, stored before it was acknowledged and kept after it was
/// parsed so it can be replayed. Written and claimed with hand-written SQL (<see cref="IngestWriter"/>,
/// <see cref="EventStore"/>); mapped here for the migration and for replay's reads.
/// </summary>
public sealed class WebhookRequest
{
    public long Id { get; private set; }

    /// <summary>The webhook's internal id (webhooks.id): deleting the webhook deletes its raw requests.</summary>
    public long WebhookRef { get; private set; }

    /// <summary>The webhook's domain, copied at receipt: every table carries it (the Citus plan, docs/scaling.md).</summary>
    public string DomainId { get; private set; } = "";
    public DateTimeOffset ReceivedAt { get; private set; }
    public string ContentType { get; private set; } = "";

    /// <summary>The few headers a parser may need (lower-case names); never credentials.</summary>
    public JsonElement Headers { get; private set; }

    /// <summary>The body: a JSON value for JSON and form bodies, a JSON string for anything else.</summary>
    public JsonElement Payload { get; private set; }
    public string Status { get; private set; } = RequestStatus.Pending;
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }
}

public static class RequestStatus
{
    public const string Pending = "PENDING";
    public const string Done = "DONE";

    /// <summary>Given up after its retry limit (attempts or age), with one ERROR event; replay can take it again.</summary>
    public const string Failed = "FAILED";
}
