using System.Globalization;
using System.Text.Encodings.Web;

namespace Webhook.Plugins.Common;

/// <summary>Lenient reads from sender JSON: parsers never throw on a missing or oddly typed field.</summary>
internal static class JsonText
{
    // Relaxed escaping keeps non-ASCII text (Korean messages in the samples) readable in additional_info.
    private static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false };

    /// <summary>The property as text: strings as-is, numbers normalized, other values as JSON text; null when absent or null.</summary>
    public static string? Str(this JsonNode? node, string key) =>
        node is JsonObject obj && obj.TryGetPropertyValue(key, out var value) ? Scalar(value) : null;

    /// <summary>Like <see cref="Str"/> but matching the property name case-insensitively (Azure is inconsistent).</summary>
    public static string? StrIgnoreCase(this JsonNode? node, string key)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        foreach (var (name, value) in obj)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return Scalar(value);
            }
        }

        return null;
    }

    public static JsonObject? Obj(this JsonNode? node, string key) =>
        node is JsonObject obj && obj.TryGetPropertyValue(key, out var value) ? value as JsonObject : null;

    public static JsonArray? Arr(this JsonNode? node, string key) =>
        node is JsonObject obj && obj.TryGetPropertyValue(key, out var value) ? value as JsonArray : null;

    public static bool Has(this JsonNode? node, string key) => node is JsonObject obj && obj.ContainsKey(key);

    /// <summary>A value as text: null for JSON null, strings unquoted, integral numbers without ".0", anything else as compact JSON.</summary>
    public static string? Scalar(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v.ToJsonString()),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => ToJson(value),
    };

    /// <summary>Compact JSON text of any value ("null" for null).</summary>
    public static string ToJson(JsonNode? value) => value is null ? "null" : value.ToJsonString(Compact);

    /// <summary>Senders (and Grafana's Go encoder) write ids as 58.0 or 3.27e+18; show integral values as integers.</summary>
    public static string Number(string raw)
    {
        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d == decimal.Truncate(d)
                ? decimal.Truncate(d).ToString(CultureInfo.InvariantCulture)
                : d.ToString(CultureInfo.InvariantCulture);
        }

        return raw;
    }

    /// <summary>Non-JSON bodies arrive as a string; SNS posts JSON as text/plain, so decode a string that holds JSON.</summary>
    public static JsonNode? DecodeStringPayload(JsonNode? data)
    {
        if (data is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>().Trim();
            if (text.StartsWith('{') || text.StartsWith('['))
            {
                try
                {
                    return JsonNode.Parse(text, documentOptions: StrictDocument);
                }
                catch (JsonException)
                {
                    return data;
                }
            }
        }

        return data;
    }

    /// <summary>A short name of a node's JSON kind for error messages.</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };
}
