namespace Webhook.Plugins.Prometheus;

/// <summary>
/// Alertmanager's webhook format (version 4), also the shape of Grafana unified alerting.
/// One event per entry of <c>alerts</c>.
/// </summary>
internal static class AlertmanagerParser
{
    public const string Expected = "expected an Alertmanager webhook payload: a JSON object with an 'alerts' array (version 4)";

    // Most specific first: the thing that is broken, then what it belongs to.
    private static readonly string[] ResourceLabels =
        ["instance", "pod", "container", "node", "deployment", "statefulset", "daemonset", "service", "job", "namespace"];

    private const string UnsetTime = "0001-01-01T00:00:00Z";

    public static IReadOnlyList<EventInfo> Parse(JsonNode? data)
    {
        var alerts = Alerts(data, Expected);
        return [.. alerts.Select((alert, i) => ParseAlert(alert, i, "prometheus", fallbackTitle: null))];
    }

    public static IReadOnlyList<JsonObject> Alerts(JsonNode? data, string expected)
    {
        if (data is not JsonObject payload)
        {
            throw new PayloadException($"{expected}; got {JsonText.Kind(data)}");
        }

        if (payload.Arr("alerts") is not { } alerts)
        {
            throw new PayloadException(payload.Has("alerts")
                ? $"{expected}; 'alerts' is {JsonText.Kind(payload["alerts"])}"
                : $"{expected}; there is no 'alerts'");
        }

        return [.. alerts.Select((alert, i) => alert as JsonObject
            ?? throw new PayloadException($"{expected}; alerts[{i}] is {JsonText.Kind(alert)}, not an object"))];
    }

    /// <param name="fallbackTitle">Used after the summary annotation and before the alertname label (Grafana's group title).</param>
    public static EventInfo ParseAlert(JsonObject alert, int index, string provider, string? fallbackTitle)
    {
        var labels = StringMap(alert.Obj("labels"));
        var annotations = StringMap(alert.Obj("annotations"));

        var additionalInfo = new Dictionary<string, string>(labels);
        Add(additionalInfo, "runbook_url", annotations.GetValueOrDefault("runbook_url"));
        Add(additionalInfo, "generator_url", alert.Str("generatorURL"));
        var startsAt = Times.ToUtc(alert.Str("startsAt"));
        Add(additionalInfo, "starts_at", startsAt);
        var endsAtText = alert.Str("endsAt");
        var endsAt = string.IsNullOrEmpty(endsAtText) || endsAtText == UnsetTime ? null : Times.ToUtc(endsAtText);
        Add(additionalInfo, "ends_at", endsAt ?? (endsAtText == UnsetTime ? null : endsAtText));
        var recovered = string.Equals(alert.Str("status"), "resolved", StringComparison.OrdinalIgnoreCase);

        var resourceLabel = ResourceLabels.FirstOrDefault(l => !string.IsNullOrEmpty(labels.GetValueOrDefault(l)));
        var resource = resourceLabel is null
            ? EventResource.Empty
            : new EventResource(labels[resourceLabel], labels[resourceLabel], resourceLabel);

        return new EventInfo
        {
            EventKey = NonEmpty(alert.Str("fingerprint")) ?? LabelsHash(labels),
            EventType = recovered ? EventTypes.Recovery : EventTypes.Alert,
            Severity = Severity(labels.GetValueOrDefault("severity")),
            Title = NonEmpty(annotations.GetValueOrDefault("summary"))
                ?? NonEmpty(fallbackTitle)
                ?? NonEmpty(labels.GetValueOrDefault("alertname"))
                ?? "no title",
            Description = NonEmpty(annotations.GetValueOrDefault("description"))
                ?? NonEmpty(annotations.GetValueOrDefault("message"))
                ?? "",
            Rule = labels.GetValueOrDefault("alertname") ?? "",
            Resource = resource,
            // A recovery happened when the alert ended, not when it started.
            OccurredAt = recovered ? endsAt ?? startsAt : startsAt,
            AdditionalInfo = additionalInfo,
            Provider = provider,
        };
    }

    public static string Severity(string? label) => label?.Trim().ToLowerInvariant() switch
    {
        "critical" => Severities.Critical,
        "error" => Severities.Error,
        "warning" => Severities.Warning,
        "info" => Severities.Info,
        _ => Severities.NotAvailable,
    };

    /// <summary>Stand-in for a missing fingerprint: the same label set always gives the same key.</summary>
    public static string LabelsHash(IReadOnlyDictionary<string, string> labels) =>
        StableKey.Hash(16, labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static Dictionary<string, string> StringMap(JsonObject? obj)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj ?? [])
        {
            map[key] = JsonText.Scalar(value) ?? "";
        }

        return map;
    }

    private static void Add(Dictionary<string, string> info, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            info[key] = value;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
