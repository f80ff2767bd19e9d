using System.Text.RegularExpressions;
using Webhook.Plugins.Prometheus;

namespace Webhook.Plugins.Grafana;

/// <summary>Grafana unified alerting (Alertmanager-like) and legacy dashboard alerting.</summary>
internal static partial class GrafanaParser
{
    public const string Expected =
        "expected a Grafana alert webhook: unified alerting (an object with 'alerts', 'groupKey', 'orgId') "
        + "or legacy alerting (an object with 'ruleId', 'state', 'evalMatches')";

    private const string TestRuleName = "Test notification";

    [GeneratedRegex(@"^\s*\[[^\]]*\]\s*")]
    private static partial Regex StatusPrefix();

    public static IReadOnlyList<EventInfo> Parse(JsonNode? data)
    {
        if (data is not JsonObject payload)
        {
            throw new PayloadException($"{Expected}; got {JsonText.Kind(data)}");
        }

        if (payload.Has("alerts"))
        {
            return ParseUnified(payload);
        }

        if (payload.Has("ruleId") || (payload.Has("state") && payload.Has("evalMatches")))
        {
            return [ParseLegacy(payload)];
        }

        throw new PayloadException($"{Expected}; it has neither 'alerts' nor 'ruleId'");
    }

    private static IReadOnlyList<EventInfo> ParseUnified(JsonObject payload)
    {
        var groupTitle = StripStatus(payload.Str("title"));
        var alerts = AlertmanagerParser.Alerts(payload, Expected);
        return [.. alerts.Select((alert, i) =>
        {
            var parsed = AlertmanagerParser.ParseAlert(alert, i, "grafana", groupTitle);
            var info = new Dictionary<string, string>(parsed.AdditionalInfo);
            AddIfSet(info, "dashboard_url", alert.Str("dashboardURL"));
            AddIfSet(info, "panel_url", alert.Str("panelURL"));
            AddIfSet(info, "silence_url", alert.Str("silenceURL"));
            AddIfSet(info, "value_string", alert.Str("valueString"));
            AddIfSet(info, "org_id", payload.Str("orgId"));

            var isTest = alert.Obj("labels").Str("alertname") == "TestAlert" && alert.Obj("labels").Str("instance") == "Grafana";
            if (isTest)
            {
                info["test"] = "true";
            }

            return parsed with
            {
                ImageUrl = NonEmpty(alert.Str("panelURL")) ?? NonEmpty(alert.Str("dashboardURL")) ?? "",
                Severity = isTest ? Severities.Info : parsed.Severity,
                AdditionalInfo = info,
            };
        })];
    }

    private static EventInfo ParseLegacy(JsonObject payload)
    {
        var orgId = payload.Str("orgId") ?? "";
        var dashboardId = payload.Str("dashboardId") ?? "";
        var panelId = payload.Str("panelId") ?? "";
        var ruleId = payload.Str("ruleId") ?? "";
        var ruleName = payload.Str("ruleName") ?? "";
        var state = payload.Str("state")?.Trim().ToLowerInvariant() ?? "";

        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfSet(info, "rule_url", payload.Str("ruleUrl"));
        AddIfSet(info, "state", state);
        AddIfSet(info, "org_id", orgId);
        AddIfSet(info, "dashboard_id", dashboardId);
        AddIfSet(info, "panel_id", panelId);
        AddIfSet(info, "rule_id", ruleId);
        foreach (var match in (payload.Arr("evalMatches") ?? []).OfType<JsonObject>())
        {
            var tags = match.Obj("tags");
            var tagText = tags is { Count: > 0 }
                ? "{" + string.Join(", ", tags.Select(t => $"{t.Key}={JsonText.Scalar(t.Value)}")) + "}"
                : "";
            info[$"eval_match.{match.Str("metric")}{tagText}"] = match.Str("value") ?? "";
        }

        foreach (var (tag, value) in payload.Obj("tags") ?? [])
        {
            info[$"tag.{tag}"] = JsonText.Scalar(value) ?? "";
        }

        var key = $"grafana-legacy/org/{orgId}/dashboard/{dashboardId}/panel/{panelId}/rule/{ruleId}";
        var baseEvent = new EventInfo
        {
            EventKey = key,
            EventType = EventTypes.Alert,
            Title = NonEmpty(StripStatus(payload.Str("title"))) ?? NonEmpty(ruleName) ?? "no title",
            Description = payload.Str("message") ?? "",
            Rule = ruleName,
            ImageUrl = payload.Str("imageUrl") ?? "",
            AdditionalInfo = info,
            Provider = "grafana",
        };

        if (string.Equals(ruleName, TestRuleName, StringComparison.OrdinalIgnoreCase))
        {
            // Grafana's "Send test" button: say so, rather than raising an alert nobody should chase.
            info["test"] = "true";
            return baseEvent with
            {
                Title = "Grafana test notification",
                Description = "This is a test notification sent from Grafana, not a real alert. " + baseEvent.Description,
                Severity = Severities.Info,
            };
        }

        var (eventType, severity) = state switch
        {
            "ok" => (EventTypes.Recovery, Severities.Info),
            "alerting" => (EventTypes.Alert, Severities.Error),
            "no_data" => (EventTypes.Alert, Severities.Warning),
            "paused" or "pending" => (EventTypes.Alert, Severities.Info),
            _ => (EventTypes.Alert, Severities.NotAvailable),
        };
        return baseEvent with { EventType = eventType, Severity = severity };
    }

    /// <summary>"[Alerting] Database Size alert" becomes "Database Size alert"; the state is in event_type already.</summary>
    private static string? StripStatus(string? title) => title is null ? null : StatusPrefix().Replace(title, "", 1).Trim();

    private static void AddIfSet(Dictionary<string, string> info, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            info[key] = value;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
