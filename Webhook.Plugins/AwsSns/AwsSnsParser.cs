namespace Webhook.Plugins.AwsSns;

/// <summary>
/// SNS HTTP(S) deliveries. Pure: the subscription confirmation itself (I/O) is done by
/// <see cref="SnsSubscriptionConfirmer"/>, whose outcome is passed in.
/// </summary>
internal static class AwsSnsParser
{
    public const string Expected =
        "expected an AWS SNS HTTP message: a JSON object with 'Type' SubscriptionConfirmation, Notification or UnsubscribeConfirmation";

    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
    public const string Notification = "Notification";
    public const string UnsubscribeConfirmation = "UnsubscribeConfirmation";

    /// <summary>Checks the envelope and returns it with its Type.</summary>
    public static (JsonObject Envelope, string Type) Envelope(JsonNode? data)
    {
        if (data is not JsonObject envelope)
        {
            throw new PayloadException($"{Expected}; got {JsonText.Kind(data)}");
        }

        var type = envelope.Str("Type");
        return type switch
        {
            SubscriptionConfirmation or Notification or UnsubscribeConfirmation => (envelope, type),
            null => throw new PayloadException($"{Expected}; there is no 'Type'"),
            _ => throw new PayloadException($"{Expected}; got Type '{type}'"),
        };
    }

    /// <summary>Events of a Notification or UnsubscribeConfirmation.</summary>
    public static IReadOnlyList<EventInfo> Parse(JsonObject envelope, string type)
    {
        if (type == UnsubscribeConfirmation)
        {
            return [Housekeeping(envelope, "SNS subscription removed", "The subscription to this webhook was removed (UnsubscribeConfirmation).")];
        }

        var message = envelope.Str("Message") ?? "";
        var decoded = TryDecode(message);
        if (decoded is not null && decoded.Has("AlarmName") && decoded.Has("NewStateValue"))
        {
            return CloudWatchAlarm(envelope, decoded);
        }

        if (decoded is not null && decoded.Str("source") == "aws.health")
        {
            return [HealthEvent(envelope, decoded)];
        }

        return [new EventInfo
        {
            EventKey = StableKey.Hash(32, "sns", envelope.Str("TopicArn"), envelope.Str("MessageId")),
            EventType = EventTypes.Alert,
            Severity = Severities.Info,
            Title = NonEmpty(envelope.Str("Subject")) ?? $"SNS notification on {TopicName(envelope)}",
            Description = message,
            OccurredAt = Times.ToUtc(envelope.Str("Timestamp")),
            AdditionalInfo = EnvelopeInfo(envelope),
            Provider = "aws",
            Account = ArnAccount(envelope.Str("TopicArn")),
        }];
    }

    public static EventInfo SubscriptionEvent(JsonObject envelope, ConfirmOutcome outcome)
    {
        var topic = envelope.Str("TopicArn") ?? "";
        return Housekeeping(
            envelope,
            outcome.Confirmed ? $"SNS subscription confirmed: {topic}" : $"SNS subscription not confirmed: {topic}",
            outcome.Confirmed
                ? $"The SNS subscription to {topic} was confirmed ({outcome.Reason})."
                : $"The SNS subscription to {topic} was not confirmed: {outcome.Reason}. Confirm it in the AWS console or from the SubscribeURL in the raw payload.")
            with
        {
            AdditionalInfo = new Dictionary<string, string>(EnvelopeInfo(envelope)) { ["confirmed"] = outcome.Confirmed ? "true" : "false" },
        };
    }

    private static EventInfo Housekeeping(JsonObject envelope, string title, string description) => new()
    {
        // Keyed by the message, not the outcome, so a retried delivery keeps its key.
        EventKey = StableKey.Hash(32, "sns", envelope.Str("Type"), envelope.Str("TopicArn"), envelope.Str("MessageId")),
        EventType = EventTypes.Alert,
        Severity = Severities.Info,
        Title = title,
        Description = description,
        OccurredAt = Times.ToUtc(envelope.Str("Timestamp")),
        Resource = new EventResource(envelope.Str("TopicArn") ?? "", TopicName(envelope), "AWS/SNS"),
        AdditionalInfo = EnvelopeInfo(envelope),
        Provider = "aws",
        Account = ArnAccount(envelope.Str("TopicArn")),
    };

    private static IReadOnlyList<EventInfo> CloudWatchAlarm(JsonObject envelope, JsonObject alarm)
    {
        var state = alarm.Str("NewStateValue") ?? "";
        var (eventType, severity) = state.ToUpperInvariant() switch
        {
            "ALARM" => (EventTypes.Alert, Severities.Error),
            "OK" => (EventTypes.Recovery, Severities.Info),
            "INSUFFICIENT_DATA" => (EventTypes.Alert, Severities.Warning),
            _ => (EventTypes.Alert, Severities.NotAvailable),
        };

        var alarmName = alarm.Str("AlarmName") ?? "";
        var account = alarm.Str("AWSAccountId") ?? ArnAccount(envelope.Str("TopicArn"));
        var alarmIdentity = NonEmpty(alarm.Str("AlarmArn")) ?? $"{account}/{alarm.Str("Region")}/{alarmName}";
        var changedAt = alarm.Str("StateChangeTime");
        var trigger = alarm.Obj("Trigger");

        var info = EnvelopeInfo(envelope);
        AddIfSet(info, "alarm_arn", alarm.Str("AlarmArn"));
        AddIfSet(info, "alarm_description", alarm.Str("AlarmDescription"));
        AddIfSet(info, "region", alarm.Str("Region"));
        AddIfSet(info, "old_state", alarm.Str("OldStateValue"));
        AddIfSet(info, "new_state", state);
        AddIfSet(info, "metric_name", trigger.Str("MetricName"));
        AddIfSet(info, "namespace", trigger.Str("Namespace"));
        AddIfSet(info, "comparison_operator", trigger.Str("ComparisonOperator"));
        AddIfSet(info, "threshold", trigger.Str("Threshold"));

        var dimensions = Dimensions(trigger);
        var targets = dimensions.Count == 0 ? [null] : dimensions.Select(d => (Dimension?)d).ToList();
        return [.. targets.Select(dimension =>
        {
            var eventInfo = new Dictionary<string, string>(info);
            if (dimension is { } d)
            {
                eventInfo["dimension_name"] = d.Name;
                eventInfo["dimension_value"] = d.Value;
            }

            return new EventInfo
            {
                // One key per alarm, dimension and state change: a retry repeats it, the next transition does not.
                EventKey = StableKey.Hash(32, "cloudwatch", alarmIdentity, dimension?.Name, dimension?.Value, state, changedAt),
                EventType = eventType,
                Severity = severity,
                Title = alarmName,
                Rule = alarmName,
                Description = alarm.Str("NewStateReason") ?? "",
                OccurredAt = Times.ToUtc(changedAt) ?? Times.ToUtc(envelope.Str("Timestamp")),
                Resource = dimension is { } dim
                    ? new EventResource(dim.Value, dim.Value, dim.Namespace ?? trigger.Str("Namespace") ?? "")
                    : new EventResource("", "", trigger.Str("Namespace") ?? ""),
                AdditionalInfo = eventInfo,
                Provider = "aws",
                Account = account,
            };
        })];
    }

    private readonly record struct Dimension(string Name, string Value, string? Namespace);

    private static List<Dimension> Dimensions(JsonObject? trigger)
    {
        var found = new List<Dimension>();
        foreach (var d in (trigger.Arr("Dimensions") ?? []).OfType<JsonObject>())
        {
            found.Add(new Dimension(d.Str("name") ?? "", d.Str("value") ?? "", trigger.Str("Namespace")));
        }

        // Metric-math alarms list their metrics instead.
        foreach (var metric in (trigger.Arr("Metrics") ?? []).OfType<JsonObject>())
        {
            var m = metric.Obj("MetricStat").Obj("Metric");
            foreach (var d in (m.Arr("Dimensions") ?? []).OfType<JsonObject>())
            {
                found.Add(new Dimension(d.Str("name") ?? "", d.Str("value") ?? "", m.Str("Namespace")));
            }
        }

        return [.. found.DistinctBy(d => (d.Name, d.Value))];
    }

    private static EventInfo HealthEvent(JsonObject envelope, JsonObject health)
    {
        var detail = health.Obj("detail");
        var category = detail.Str("eventTypeCategory") ?? "";
        var status = detail.Str("statusCode") ?? "";
        var entities = (detail.Arr("affectedEntities") ?? []).OfType<JsonObject>().Select(e => e.Str("entityValue")).OfType<string>().ToList();
        var resources = (health.Arr("resources") ?? []).Select(JsonText.Scalar).OfType<string>().ToList();
        var descriptions = (detail.Arr("eventDescription") ?? []).OfType<JsonObject>().ToList();
        var description = descriptions.FirstOrDefault(d => d.Str("language") == "en_US") ?? descriptions.FirstOrDefault();

        var info = EnvelopeInfo(envelope);
        AddIfSet(info, "service", detail.Str("service"));
        AddIfSet(info, "event_type_category", category);
        AddIfSet(info, "status_code", status);
        AddIfSet(info, "region", health.Str("region"));
        AddIfSet(info, "start_time", Times.ToUtc(detail.Str("startTime")));
        AddIfSet(info, "end_time", Times.ToUtc(detail.Str("endTime")));
        AddIfSet(info, "affected_entities", string.Join(", ", entities));
        AddIfSet(info, "resources", string.Join(", ", resources));

        var resourceId = entities.FirstOrDefault() ?? resources.FirstOrDefault() ?? "";
        return new EventInfo
        {
            EventKey = NonEmpty(detail.Str("eventArn")) ?? StableKey.Hash(32, "aws-health", health.Str("id")),
            EventType = string.Equals(status, "closed", StringComparison.OrdinalIgnoreCase) ? EventTypes.Recovery : EventTypes.Alert,
            Severity = category is "issue" or "scheduledChange" ? Severities.Error : Severities.Info,
            Title = NonEmpty(detail.Str("eventTypeCode")) ?? NonEmpty(health.Str("detail-type")) ?? "AWS Health event",
            Rule = health.Str("detail-type") ?? "",
            Description = description.Str("latestDescription") ?? "",
            OccurredAt = Times.ToUtc(detail.Str("startTime")) ?? Times.ToUtc(health.Str("time")),
            Resource = new EventResource(resourceId, resourceId, detail.Str("service") ?? ""),
            AdditionalInfo = info,
            Provider = "aws",
            Account = health.Str("account") ?? ArnAccount(envelope.Str("TopicArn")),
        };
    }

    private static Dictionary<string, string> EnvelopeInfo(JsonObject envelope)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfSet(info, "topic_arn", envelope.Str("TopicArn"));
        AddIfSet(info, "message_id", envelope.Str("MessageId"));
        return info;
    }

    private static JsonObject? TryDecode(string message)
    {
        try
        {
            return JsonNode.Parse(message, documentOptions: JsonText.StrictDocument) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>arn:aws:sns:region:account:topic → account.</summary>
    private static string ArnAccount(string? arn) => arn?.Split(':') is { Length: > 4 } parts ? parts[4] : "";

    private static string TopicName(JsonObject envelope) =>
        envelope.Str("TopicArn")?.Split(':') is { Length: > 5 } parts ? parts[5] : envelope.Str("TopicArn") ?? "";

    private static void AddIfSet(Dictionary<string, string> info, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            info[key] = value;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
