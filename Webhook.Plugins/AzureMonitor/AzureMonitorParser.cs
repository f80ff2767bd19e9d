namespace Webhook.Plugins.AzureMonitor;

/// <summary>Azure Monitor action-group webhooks in Microsoft's documented schemas.</summary>
internal static class AzureMonitorParser
{
    public const string Expected =
        "expected an Azure Monitor alert: the common alert schema (schemaId 'azureMonitorCommonAlertSchema' with data.essentials), "
        + "a metric alert (schemaId 'AzureMonitorMetricAlert' with data.context), an activity log alert "
        + "(schemaId 'Microsoft.Insights/activityLogs') or a log search alert (an object with 'AlertRuleName')";

    public const string CommonSchema = "azureMonitorCommonAlertSchema";
    public const string MetricAlertSchema = "AzureMonitorMetricAlert";
    public const string ActivityLogSchema = "Microsoft.Insights/activityLogs";

    public static IReadOnlyList<EventInfo> Parse(JsonNode? data)
    {
        if (data is not JsonObject payload)
        {
            throw new PayloadException($"{Expected}; got {JsonText.Kind(data)}");
        }

        var schemaId = payload.Str("schemaId");
        if (string.Equals(schemaId, CommonSchema, StringComparison.OrdinalIgnoreCase))
        {
            return [Common(payload)];
        }

        if (string.Equals(schemaId, MetricAlertSchema, StringComparison.OrdinalIgnoreCase))
        {
            return [MetricAlert(payload)];
        }

        if (string.Equals(schemaId, ActivityLogSchema, StringComparison.OrdinalIgnoreCase))
        {
            return [ActivityLog(payload)];
        }

        if (schemaId is null && payload.StrIgnoreCase("AlertRuleName") is not null)
        {
            return [LogSearch(payload)];
        }

        throw new PayloadException(schemaId is null ? $"{Expected}; it has no schemaId" : $"{Expected}; got schemaId '{schemaId}'");
    }

    public static string Severity(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "sev0" or "0" or "critical" => Severities.Critical,
        "sev1" or "1" or "error" => Severities.Error,
        "sev2" or "2" or "warning" => Severities.Warning,
        "sev3" or "3" or "sev4" or "4" or "informational" or "verbose" => Severities.Info,
        _ => Severities.NotAvailable,
    };

    private static EventInfo Common(JsonObject payload)
    {
        var data = payload.Obj("data");
        var essentials = data.Obj("essentials")
            ?? throw new PayloadException($"{Expected}; the common alert schema needs data.essentials");
        var alertId = essentials.Str("alertId");
        if (string.IsNullOrWhiteSpace(alertId))
        {
            throw new PayloadException($"{Expected}; data.essentials.alertId is missing");
        }

        var resolved = string.Equals(essentials.Str("monitorCondition"), "Resolved", StringComparison.OrdinalIgnoreCase);
        var targetId = essentials.Arr("alertTargetIDs")?.FirstOrDefault() is { } t ? JsonText.Scalar(t) ?? "" : "";
        var configurationItem = essentials.Arr("configurationItems")?.FirstOrDefault() is { } c ? JsonText.Scalar(c) ?? "" : "";
        var alertRule = essentials.Str("alertRule") ?? "";

        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfSet(info, "signal_type", essentials.Str("signalType"));
        AddIfSet(info, "monitoring_service", essentials.Str("monitoringService"));
        AddIfSet(info, "monitor_condition", essentials.Str("monitorCondition"));
        AddIfSet(info, "azure_severity", essentials.Str("severity"));
        AddIfSet(info, "origin_alert_id", essentials.Str("originAlertId"));
        AddIfSet(info, "fired_date_time", Times.ToUtc(essentials.Str("firedDateTime")));
        AddIfSet(info, "resolved_date_time", Times.ToUtc(essentials.Str("resolvedDateTime")));
        AddScalars(info, data.Obj("alertContext"));
        AddScalars(info, data.Obj("customProperties"), includeStructured: true);

        return new EventInfo
        {
            EventKey = alertId,
            EventType = resolved ? EventTypes.Recovery : EventTypes.Alert,
            Severity = Severity(essentials.Str("severity")),
            Title = NonEmpty(alertRule) ?? "Azure Monitor alert",
            Rule = alertRule,
            Description = essentials.Str("description") ?? "",
            OccurredAt = resolved
                ? Times.ToUtc(essentials.Str("resolvedDateTime")) ?? Times.ToUtc(essentials.Str("firedDateTime"))
                : Times.ToUtc(essentials.Str("firedDateTime")),
            Resource = new EventResource(
                targetId,
                NonEmpty(configurationItem) ?? LastSegment(targetId),
                NonEmpty(essentials.Str("targetResourceType")) ?? ArmType(targetId)),
            AdditionalInfo = info,
            Provider = "azure",
            Account = Subscription(targetId) ?? Subscription(alertId) ?? "",
        };
    }

    private static EventInfo MetricAlert(JsonObject payload)
    {
        var data = payload.Obj("data");
        var context = data.Obj("context") ?? throw new PayloadException($"{Expected}; the metric alert has no data.context");
        var id = context.Str("id");
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new PayloadException($"{Expected}; data.context.id is missing");
        }

        var status = data.Str("status") ?? "";
        var recovered = status.Equals("Resolved", StringComparison.OrdinalIgnoreCase) || status.Equals("Deactivated", StringComparison.OrdinalIgnoreCase);
        var resourceId = context.Str("resourceId") ?? "";

        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfSet(info, "status", status);
        AddIfSet(info, "condition_type", context.Str("conditionType"));
        AddIfSet(info, "resource_group_name", context.Str("resourceGroupName"));
        AddIfSet(info, "window_size", context.Obj("condition").Str("windowSize"));
        var criteria = (context.Obj("condition").Arr("allOf") ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < criteria.Count; i++)
        {
            var prefix = criteria.Count == 1 ? "" : $"criteria.{i}.";
            AddIfSet(info, prefix + "metric_name", criteria[i].Str("metricName"));
            AddIfSet(info, prefix + "metric_value", criteria[i].Str("metricValue"));
            AddIfSet(info, prefix + "operator", criteria[i].Str("operator"));
            AddIfSet(info, prefix + "threshold", criteria[i].Str("threshold"));
            AddIfSet(info, prefix + "time_aggregation", criteria[i].Str("timeAggregation"));
            if (criteria[i].Arr("dimensions") is { Count: > 0 } dimensions)
            {
                AddIfSet(info, prefix + "dimensions", string.Join(", ", dimensions.OfType<JsonObject>().Select(d => $"{d.Str("name")}={d.Str("value")}")));
            }
        }

        AddScalars(info, data.Obj("properties"), includeStructured: true);

        var name = context.Str("name") ?? "";
        return new EventInfo
        {
            EventKey = id,
            EventType = recovered ? EventTypes.Recovery : EventTypes.Alert,
            Severity = Severity(context.Str("severity")),
            Title = NonEmpty(name) ?? "Azure metric alert",
            Rule = name,
            Description = context.Str("description") ?? "",
            OccurredAt = Times.ToUtc(context.Str("timestamp")),
            Resource = new EventResource(
                resourceId,
                NonEmpty(context.Str("resourceName")) ?? LastSegment(resourceId),
                NonEmpty(context.Str("resourceType")) ?? ArmType(resourceId)),
            ImageUrl = context.Str("portalLink") ?? "",
            AdditionalInfo = info,
            Provider = "azure",
            Account = context.Str("subscriptionId") ?? Subscription(resourceId) ?? "",
        };
    }

    private static EventInfo ActivityLog(JsonObject payload)
    {
        var data = payload.Obj("data");
        var log = data.Obj("context").Obj("activityLog")
            ?? throw new PayloadException($"{Expected}; the activity log alert has no data.context.activityLog");
        var eventDataId = log.Str("eventDataId");
        if (string.IsNullOrWhiteSpace(eventDataId))
        {
            throw new PayloadException($"{Expected}; data.context.activityLog.eventDataId is missing");
        }

        var properties = log.Obj("properties");
        // Service Health and Resource Health report their own end: a resolved incident or a resource available again.
        var recovered = string.Equals(properties.Str("stage"), "Resolved", StringComparison.OrdinalIgnoreCase)
            || string.Equals(properties.Str("currentHealthStatus"), "Available", StringComparison.OrdinalIgnoreCase);
        var operation = log.Str("operationName") ?? "";
        var resourceId = log.Str("resourceId") ?? "";

        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfSet(info, "level", log.Str("level"));
        AddIfSet(info, "event_source", log.Str("eventSource"));
        AddIfSet(info, "status", log.Str("status"));
        AddIfSet(info, "sub_status", log.Str("subStatus"));
        AddIfSet(info, "caller", log.Str("caller"));
        AddIfSet(info, "correlation_id", log.Str("correlationId"));
        AddIfSet(info, "resource_group_name", log.Str("resourceGroupName"));
        AddScalars(info, properties);
        AddScalars(info, data.Obj("properties"), includeStructured: true);

        return new EventInfo
        {
            EventKey = eventDataId,
            EventType = recovered ? EventTypes.Recovery : EventTypes.Alert,
            Severity = Severity(log.Str("level")),
            Title = NonEmpty(properties.Str("title")) ?? NonEmpty($"{operation} {log.Str("status")}".Trim()) ?? "Azure activity log alert",
            Rule = operation,
            Description = NonEmpty(log.Str("description")) ?? properties.Str("communication") ?? "",
            OccurredAt = Times.ToUtc(log.Str("eventTimestamp")),
            Resource = new EventResource(resourceId, LastSegment(resourceId), NonEmpty(log.Str("resourceType")) ?? ArmType(resourceId)),
            AdditionalInfo = info,
            Provider = "azure",
            Account = log.Str("subscriptionId") ?? Subscription(resourceId) ?? "",
        };
    }

    private static EventInfo LogSearch(JsonObject payload)
    {
        var ruleName = payload.StrIgnoreCase("AlertRuleName") ?? "";
        // Microsoft spells it "SearchIntervalEndtimeUtc"; read both spellings.
        var start = payload.StrIgnoreCase("SearchIntervalStartTimeUtc");
        var end = payload.StrIgnoreCase("SearchIntervalEndTimeUtc");
        var resourceId = payload.StrIgnoreCase("ResourceId") ?? "";
        var workspaceId = payload.StrIgnoreCase("WorkspaceId") ?? "";
        var affected = payload.Arr("AffectedConfigurationItems")?.FirstOrDefault() is { } a ? JsonText.Scalar(a) : null;

        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfSet(info, "search_query", payload.StrIgnoreCase("SearchQuery"));
        AddIfSet(info, "search_interval_start", Times.ToUtc(start) ?? start);
        AddIfSet(info, "search_interval_end", Times.ToUtc(end) ?? end);
        AddIfSet(info, "result_count", payload.StrIgnoreCase("ResultCount"));
        AddIfSet(info, "threshold_operator", payload.StrIgnoreCase("AlertThresholdOperator"));
        AddIfSet(info, "threshold_value", payload.StrIgnoreCase("AlertThresholdValue"));
        AddIfSet(info, "alert_type", payload.StrIgnoreCase("AlertType"));
        AddIfSet(info, "workspace_id", workspaceId);
        AddIfSet(info, "azure_severity", payload.StrIgnoreCase("Severity"));
        AddIfSet(info, "link_to_search_results_api", payload.StrIgnoreCase("LinkToSearchResultsAPI"));
        foreach (var dimension in (payload.Arr("Dimensions") ?? []).OfType<JsonObject>())
        {
            AddIfSet(info, $"dimension.{dimension.Str("name")}", dimension.Str("value"));
        }

        var resource = resourceId.Length > 0
            ? new EventResource(resourceId, LastSegment(resourceId), ArmType(resourceId))
            : new EventResource(workspaceId, NonEmpty(affected) ?? workspaceId, workspaceId.Length > 0 ? "Microsoft.OperationalInsights/workspaces" : "");

        return new EventInfo
        {
            EventKey = StableKey.Hash(32, "azure-log-search", ruleName, start, end),
            EventType = EventTypes.Alert,
            Severity = Severity(payload.StrIgnoreCase("Severity")),
            Title = NonEmpty(ruleName) ?? "Azure log search alert",
            Rule = ruleName,
            Description = payload.StrIgnoreCase("Description") ?? "",
            OccurredAt = Times.ToUtc(end) ?? Times.ToUtc(start),
            Resource = resource,
            ImageUrl = payload.StrIgnoreCase("LinkToSearchResults") ?? "",
            AdditionalInfo = info,
            Provider = "azure",
            Account = payload.StrIgnoreCase("SubscriptionId") ?? Subscription(resourceId) ?? "",
        };
    }

    private static void AddScalars(Dictionary<string, string> info, JsonObject? source, bool includeStructured = false)
    {
        foreach (var (key, value) in source ?? [])
        {
            if (value is JsonValue || (includeStructured && value is not null))
            {
                AddIfSet(info, key, JsonText.Scalar(value));
            }
        }
    }

    /// <summary>"/subscriptions/{id}/..." → id.</summary>
    private static string? Subscription(string? armId)
    {
        var parts = armId?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var index = Array.FindIndex(parts, p => p.Equals("subscriptions", StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : null;
    }

    /// <summary>".../providers/Microsoft.Compute/virtualMachines/vm1" → "Microsoft.Compute/virtualMachines".</summary>
    private static string ArmType(string armId)
    {
        var parts = armId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindLastIndex(parts, p => p.Equals("providers", StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index + 2 < parts.Length ? $"{parts[index + 1]}/{parts[index + 2]}" : "";
    }

    private static string LastSegment(string armId) =>
        armId.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    private static void AddIfSet(Dictionary<string, string> info, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            info[key] = value;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
