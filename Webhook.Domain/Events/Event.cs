using System.Globalization;

namespace Webhook.Domain.Events;

/// <summary>
/// One normalized event that a plugin made from a raw request. Created only through <see cref="FromPlugin"/>
/// (validates what the plugin answered) or <see cref="ParseError"/> (a payload the plugin could not parse).
/// </summary>
public sealed class Event
{
    public const int MaxTitleLength = 1000;
    public const int MaxKeyLength = 1000;

    private Event()
    {
    }

    /// <summary>Database identity; orders events by insertion.</summary>
    public long Id { get; private set; }
    public string EventId { get; private set; } = "";
    public string EventKey { get; private set; } = "";
    public string EventType { get; private set; } = "";
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string Severity { get; private set; } = "";
    public JsonElement Resource { get; private set; }
    public string Rule { get; private set; } = "";
    public DateTimeOffset? OccurredAt { get; private set; }
    public JsonElement AdditionalInfo { get; private set; }
    public string ImageUrl { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string Account { get; private set; } = "";

    /// <summary>The payload the event came from (the stored raw request's body).</summary>
    public JsonElement? RawData { get; private set; }

    /// <summary>The raw request the event came from; with <see cref="Sequence"/> it makes parsing idempotent.</summary>
    public long? RequestId { get; private set; }

    /// <summary>Position among the events of one request (0-based).</summary>
    public int Sequence { get; private set; }
    public string WebhookId { get; private set; } = "";
    public string ProjectId { get; private set; } = "";
    public string DomainId { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Validates and normalises one EventInfo; throws <see cref="InvalidEventException"/> naming the field.</summary>
    public static Event FromPlugin(
        EventInfo info, EventSource source, int sequence, string eventId, JsonElement? rawData, DateTimeOffset now)
    {
        var eventType = Upper(info.EventType);
        if (!EventTypes.All.Contains(eventType))
        {
            throw new InvalidEventException(
                $"event_type must be one of {string.Join(", ", EventTypes.All)}, got '{info.EventType}'.");
        }

        var severity = string.IsNullOrWhiteSpace(info.Severity) ? Severities.NotAvailable : Upper(info.Severity);
        if (!Severities.All.Contains(severity))
        {
            throw new InvalidEventException(
                $"severity must be one of {string.Join(", ", Severities.All)}, got '{info.Severity}'.");
        }

        var eventKey = info.EventKey?.Trim() ?? "";
        if (eventKey.Length == 0)
        {
            throw new InvalidEventException("event_key is required.");
        }

        if (eventKey.Length > MaxKeyLength)
        {
            throw new InvalidEventException($"event_key must be at most {MaxKeyLength} characters.");
        }

        var title = info.Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            throw new InvalidEventException("title is required.");
        }

        return new Event
        {
            EventId = eventId,
            EventKey = eventKey,
            EventType = eventType,
            Title = title.Length > MaxTitleLength ? title[..MaxTitleLength] : title,
            Description = info.Description ?? "",
            Severity = severity,
            Resource = ObjectOrEmpty(info.Resource, "resource"),
            Rule = info.Rule ?? "",
            OccurredAt = ParseInstant(info.OccurredAt),
            AdditionalInfo = ObjectOrEmpty(info.AdditionalInfo, "additional_info"),
            ImageUrl = info.ImageUrl ?? "",
            Provider = info.Provider ?? "",
            Account = info.Account ?? "",
            RawData = rawData,
            RequestId = source.RequestId,
            Sequence = sequence,
            WebhookId = source.WebhookId,
            ProjectId = source.ProjectId,
            DomainId = source.DomainId,
            CreatedAt = Milliseconds(now),
        };
    }

    /// <summary>The one event a request becomes when its plugin cannot parse it: says which webhook and why.</summary>
    /// <param name="sequence">0, unless it follows the events kept of the same request (over the events cap).</param>
    public static Event ParseError(
        EventSource source, string pluginId, string reason, string eventId, JsonElement? rawData, DateTimeOffset now, int sequence = 0)
    {
        var details = new Dictionary<string, string>
        {
            ["webhook_id"] = source.WebhookId,
            ["webhook_name"] = source.WebhookName,
            ["plugin_id"] = pluginId,
        };
        if (source.RequestId is { } requestId)
        {
            details["request_id"] = requestId.ToString(CultureInfo.InvariantCulture);
        }

        var title = $"Webhook '{source.WebhookName}' ({source.WebhookId}) could not parse an event";
        return new Event
        {
            EventId = eventId,
            // A test parse has no stored request: its key names the webhook alone.
            EventKey = source.RequestId is { } id ? $"{source.WebhookId}:parse-error:{id}" : $"{source.WebhookId}:parse-error",
            EventType = EventTypes.Error,
            Title = title.Length > MaxTitleLength ? title[..MaxTitleLength] : title,
            Description = reason,
            Severity = Severities.Error,
            Resource = WebhookResource(source),
            Rule = "",
            OccurredAt = Milliseconds(now),
            AdditionalInfo = JsonSerializer.SerializeToElement(details),
            RawData = rawData,
            RequestId = source.RequestId,
            Sequence = sequence,
            WebhookId = source.WebhookId,
            ProjectId = source.ProjectId,
            DomainId = source.DomainId,
            CreatedAt = Milliseconds(now),
        };
    }

    /// <summary>
    /// The webhook's own heartbeat: the ALERT when it has received nothing for its interval (<paramref name="at"/> is
    /// when the silence passed the interval), or the RECOVERY when it receives a request again (<paramref name="at"/>
    /// is when that request came). Both carry one key per webhook, so a console pairs them.
    /// </summary>
    public static Event Heartbeat(
        EventSource source, bool silent, int intervalSeconds, string eventId, DateTimeOffset at, DateTimeOffset now)
    {
        var title = silent
            ? $"Webhook '{source.WebhookName}' ({source.WebhookId}) received nothing for {intervalSeconds} s"
            : $"Webhook '{source.WebhookName}' ({source.WebhookId}) receives requests again (heartbeat {intervalSeconds} s)";
        return new Event
        {
            EventId = eventId,
            EventKey = HeartbeatKey(source.WebhookId),
            EventType = silent ? EventTypes.Alert : EventTypes.Recovery,
            Title = title.Length > MaxTitleLength ? title[..MaxTitleLength] : title,
            Description = silent
                ? $"No request was accepted for the heartbeat interval of {intervalSeconds} s: the sender, or the way from it to here, may be down."
                : "A request was accepted again; the silence is over.",
            Severity = silent ? Severities.Error : Severities.Info,
            Resource = WebhookResource(source),
            Rule = "heartbeat",
            OccurredAt = Milliseconds(at),
            AdditionalInfo = JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["webhook_id"] = source.WebhookId,
                ["webhook_name"] = source.WebhookName,
                ["interval_seconds"] = intervalSeconds,
            }),
            RawData = null,
            RequestId = null,
            Sequence = 0,
            WebhookId = source.WebhookId,
            ProjectId = source.ProjectId,
            DomainId = source.DomainId,
            CreatedAt = Milliseconds(now),
        };
    }

    public static string HeartbeatKey(string webhookId) => $"{webhookId}:heartbeat";

    /// <summary>A fresh id after the rare collision of a random one with a stored event's.</summary>
    public void ReplaceEventId(string eventId) => EventId = eventId;

    /// <summary>ISO 8601 with a zone (or none, meaning UTC), kept as the same instant in UTC.</summary>
    private static DateTimeOffset? ParseInstant(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(
                text.Trim(),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
                out var value)
            && LooksIso(text.Trim()))
        {
            return value.ToUniversalTime();
        }

        throw new InvalidEventException($"occurred_at must be an ISO 8601 time, got '{text}'.");
    }

    /// <summary>DateTimeOffset.TryParse also takes "Monday, 1 Jan" and friends; ISO 8601 starts yyyy-mm-dd.</summary>
    private static bool LooksIso(string text) =>
        text.Length >= 10 && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[3]) && text[4] == '-' && text[7] == '-';

    private static JsonElement ObjectOrEmpty(JsonElement? element, string name) => element switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => Common.Json.EmptyObject,
        { ValueKind: JsonValueKind.Object } value => value.Clone(),
        _ => throw new InvalidEventException($"{name} must be an object."),
    };

    private static JsonElement WebhookResource(EventSource source) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["resource_id"] = source.WebhookId,
            ["name"] = source.WebhookName,
            ["resource_type"] = "webhook",
        });

    private static string Upper(string? value) => (value ?? "").Trim().ToUpperInvariant();

    private static DateTimeOffset Milliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
