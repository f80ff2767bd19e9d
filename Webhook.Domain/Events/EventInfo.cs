namespace Webhook.Domain.Events;

/// <summary>
/// One event as a plugin's parse answered it (PLUGINS.md "EventInfo"), before validation: every field may be
/// missing or wrong, which <see cref="Event.FromPlugin"/> decides.
/// </summary>
public sealed record EventInfo(
    string? EventKey,
    string? EventType,
    string? Title,
    string? Description,
    string? Severity,
    JsonElement? Resource,
    string? Rule,
    string? OccurredAt,
    JsonElement? AdditionalInfo,
    string? ImageUrl,
    string? Provider,
    string? Account);

/// <summary>
/// Where events come from: one webhook and, for events parsed from a stored raw request, that request. A test parse
/// (nothing stored) and the webhook's heartbeat have no request.
/// </summary>
public sealed record EventSource(
    long? RequestId,
    string WebhookId,
    string WebhookName,
    string ProjectId,
    string DomainId);

public static class EventTypes
{
    public const string Alert = "ALERT";
    public const string Recovery = "RECOVERY";
    public const string Error = "ERROR";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Alert, Recovery, Error };
}

public static class Severities
{
    public const string Critical = "CRITICAL";
    public const string Error = "ERROR";
    public const string Warning = "WARNING";
    public const string Info = "INFO";
    public const string NotAvailable = "NOT_AVAILABLE";
    public const string None = "NONE";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { Critical, Error, Warning, Info, NotAvailable, None };
}

/// <summary>The plugin answered parse with something that is not a valid event; the request becomes an ERROR event.</summary>
public sealed class InvalidEventException(string message) : Exception(message);
