namespace Webhook.Plugins.Common;

/// <summary>One normalized event, serialized snake_case with every field present.</summary>
internal sealed record EventInfo
{
    public required string EventKey { get; init; }
    public required string EventType { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public string Severity { get; init; } = Severities.NotAvailable;
    public EventResource Resource { get; init; } = EventResource.Empty;
    public string Rule { get; init; } = "";

    /// <summary>ISO 8601 UTC text (kept as text so sub-100ns fractions survive), or null when unknown.</summary>
    public string? OccurredAt { get; init; }

    public IReadOnlyDictionary<string, string> AdditionalInfo { get; init; } = new Dictionary<string, string>();
    public string ImageUrl { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Account { get; init; } = "";
}

internal sealed record EventResource(string ResourceId, string Name, string ResourceType)
{
    public static readonly EventResource Empty = new("", "", "");
}

internal static class EventTypes
{
    public const string Alert = "ALERT";
    public const string Recovery = "RECOVERY";
    public const string Error = "ERROR";

    public static readonly IReadOnlyList<string> All = [Alert, Recovery, Error];
}

internal static class Severities
{
    public const string Critical = "CRITICAL";
    public const string Error = "ERROR";
    public const string Warning = "WARNING";
    public const string Info = "INFO";
    public const string NotAvailable = "NOT_AVAILABLE";
    public const string None = "NONE";

    public static readonly IReadOnlyList<string> All = [Critical, Error, Warning, Info, NotAvailable, None];
}
