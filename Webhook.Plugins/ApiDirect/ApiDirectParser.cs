namespace Webhook.Plugins.ApiDirect;

/// <summary>Bodies that already are events, optionally decoded (load_json) and mapped (convert_data) first.</summary>
internal static class ApiDirectParser
{
    public const string Expected =
        "expected an event object (event_key, title, event_type, severity, occurred_at, ...) or {\"results\": [event, ...]}";

    public const string LoadJson = "load_json";
    public const string ConvertData = "convert_data";

    private static readonly string[] EventFields =
        ["event_key", "event_type", "title", "description", "severity", "rule", "occurred_at", "image_url", "provider", "account"];

    private static readonly string[] ResourceFields = ["resource_id", "name", "resource_type"];

    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new(LoadJson, OptionType.StringList, new JsonArray(), "Decode JSON strings",
            "Keys (dot paths) of the body whose string values hold JSON to decode before reading, e.g. [\"Message\"] for SNS."),
        new(ConvertData, OptionType.TemplateMap, new JsonObject(), "Build the event from templates",
            "Maps event fields (event_key, title, severity, resource.resource_id, additional_info.<name>, ...) to templates "
            + "such as \"{{ Message.detail.EventID }}\" that read paths of the body; resource and additional_info may also "
            + "be objects of templates, e.g. {\"resource\": {\"resource_id\": \"{{ Message.detail.SourceArn }}\"}}.",
            CheckConvertData),
    ];

    public static IReadOnlyList<EventInfo> Parse(JsonNode? data, JsonObject options, DateTimeOffset receivedAt)
    {
        if (data is not JsonObject original)
        {
            throw new PayloadException($"{Expected}; got {JsonText.Kind(data)}");
        }

        // Work on a copy: decoding must not change what the caller holds.
        var body = (JsonObject)original.DeepClone();
        foreach (var path in (options.Arr(LoadJson) ?? []).Select(JsonText.Scalar).OfType<string>())
        {
            DecodeInPlace(body, path);
        }

        if (options.Obj(ConvertData) is { Count: > 0 } convert)
        {
            return [ReadEvent(Convert(body, convert), "", receivedAt)];
        }

        if (body.TryGetPropertyValue("results", out var results))
        {
            if (results is not JsonArray list)
            {
                throw new PayloadException($"{Expected}; 'results' is {JsonText.Kind(results)}, not a list");
            }

            return [.. list.Select((item, i) => ReadEvent(item, $"results[{i}].", receivedAt))];
        }

        return [ReadEvent(body, "", receivedAt)];
    }

    private static void DecodeInPlace(JsonObject body, string path)
    {
        var segments = Template.Segments(path);
        if (segments.Length == 0)
        {
            return;
        }

        var parent = segments.Length == 1 ? body : Template.Resolve(body, string.Join('.', segments[..^1]));
        var key = segments[^1];
        if (parent is not JsonObject owner || !owner.TryGetPropertyValue(key, out var value)
            || value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            return; // Absent or already decoded: nothing to do.
        }

        try
        {
            owner[key] = JsonNode.Parse(v.GetValue<string>(), documentOptions: JsonText.StrictDocument);
        }
        catch (JsonException e)
        {
            throw new PayloadException($"load_json: the value of '{path}' is not valid JSON ({e.Message})");
        }
    }

    /// <summary>
    /// convert_data's entries as (event field path, template): a nested object (the upstream plugin's
    /// <c>"resource": {"resource_id": "..."}</c>) and a dotted key (<c>"resource.resource_id"</c>) name the same field.
    /// </summary>
    private static IEnumerable<(string Target, JsonNode? Template)> Targets(JsonObject convert) =>
        convert.SelectMany(entry => entry.Value is JsonObject nested
            ? nested.Select(inner => ($"{entry.Key}.{inner.Key}", inner.Value))
            : [(entry.Key, entry.Value)]);

    private static JsonObject Convert(JsonObject body, JsonObject convert)
    {
        var result = new JsonObject();
        foreach (var (target, templateNode) in Targets(convert))
        {
            var template = JsonText.Scalar(templateNode) ?? "";
            var value = Template.Render(template, body);
            if (target is "event_key" or "title" && string.IsNullOrWhiteSpace(value))
            {
                throw new PayloadException(
                    $"convert_data.{target}: template '{template}' gave an empty value; the body has nothing at "
                    + $"{string.Join(", ", Template.Paths(template))} (JSON held in strings must be listed in load_json)");
            }

            var parts = target.Split('.', 2);
            if (parts.Length == 2)
            {
                var section = result[parts[0]] as JsonObject ?? [];
                section[parts[1]] = value;
                result[parts[0]] = section;
            }
            else
            {
                result[target] = value;
            }
        }

        return result;
    }

    private static EventInfo ReadEvent(JsonNode? item, string prefix, DateTimeOffset receivedAt)
    {
        if (item is not JsonObject e)
        {
            throw new PayloadException($"{(prefix.Length == 0 ? "the body" : prefix.TrimEnd('.'))} is {JsonText.Kind(item)}; {Expected}");
        }

        return new EventInfo
        {
            EventKey = Required(e, "event_key", prefix),
            Title = Required(e, "title", prefix),
            EventType = Enum(e, "event_type", prefix, EventTypes.All, EventTypes.Alert),
            Severity = Enum(e, "severity", prefix, Severities.All, Severities.NotAvailable),
            OccurredAt = OccurredAt(e, prefix, receivedAt),
            Description = e.Str("description") ?? "",
            Rule = e.Str("rule") ?? "",
            ImageUrl = e.Str("image_url") ?? "",
            Provider = e.Str("provider") ?? "",
            Account = e.Str("account") ?? "",
            Resource = Resource(e, prefix),
            AdditionalInfo = AdditionalInfo(e, prefix),
        };
    }

    private static string Required(JsonObject e, string field, string prefix)
    {
        var value = e.Str(field);
        return string.IsNullOrWhiteSpace(value)
            ? throw new PayloadException($"{prefix}{field} is required; {Expected}")
            : value;
    }

    private static string Enum(JsonObject e, string field, string prefix, IReadOnlyList<string> allowed, string fallback)
    {
        var value = e.Str(field);
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        var normalized = value.Trim().ToUpperInvariant();
        return allowed.Contains(normalized)
            ? normalized
            : throw new PayloadException($"{prefix}{field} '{value}' is not one of {string.Join(", ", allowed)}");
    }

    private static string OccurredAt(JsonObject e, string prefix, DateTimeOffset receivedAt)
    {
        if (!e.TryGetPropertyValue("occurred_at", out var node) || node is null
            || (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(s.GetValue<string>())))
        {
            return Times.Format(receivedAt);
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && Times.TryIsoToUtc(v.GetValue<string>(), out var utc))
        {
            return utc;
        }

        throw new PayloadException(
            $"{prefix}occurred_at {JsonText.ToJson(node)} is not an ISO 8601 time; expected e.g. \"2024-01-01T10:00:00Z\" or \"2024-01-01T19:00:00+09:00\"");
    }

    private static EventResource Resource(JsonObject e, string prefix)
    {
        if (!e.TryGetPropertyValue("resource", out var node) || node is null)
        {
            return EventResource.Empty;
        }

        if (node is not JsonObject r)
        {
            throw new PayloadException($"{prefix}resource must be an object with resource_id, name, resource_type; got {JsonText.Kind(node)}");
        }

        return new EventResource(r.Str("resource_id") ?? "", r.Str("name") ?? "", r.Str("resource_type") ?? "");
    }

    private static Dictionary<string, string> AdditionalInfo(JsonObject e, string prefix)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!e.TryGetPropertyValue("additional_info", out var node) || node is null)
        {
            return info;
        }

        if (node is not JsonObject obj)
        {
            throw new PayloadException($"{prefix}additional_info must be an object; got {JsonText.Kind(node)}");
        }

        foreach (var (key, value) in obj)
        {
            info[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : JsonText.ToJson(value);
        }

        return info;
    }

    private static (string Option, string Message)? CheckConvertData(JsonNode value)
    {
        foreach (var (target, templateNode) in Targets(value.AsObject()))
        {
            var name = $"{ConvertData}.{target}";
            if (templateNode is not JsonValue template || template.GetValueKind() != JsonValueKind.String)
            {
                return (name, $"option '{name}' must be a template string (resource and additional_info may be objects of "
                    + $"them), got {JsonText.Kind(templateNode)}");
            }

            var parts = target.Split('.', 2);
            var known = parts.Length == 1
                ? EventFields.Contains(target)
                : (parts[0] == "resource" && ResourceFields.Contains(parts[1])) || (parts[0] == "additional_info" && parts[1].Length > 0);
            if (!known)
            {
                return (name, $"option '{name}' is not an event field; use one of {string.Join(", ", EventFields)}, "
                    + "resource.resource_id, resource.name, resource.resource_type or additional_info.<name>");
            }

            if (Template.Problem(template.GetValue<string>()) is { } problem)
            {
                return (name, $"option '{name}' template {problem}");
            }
        }

        return null;
    }
}
