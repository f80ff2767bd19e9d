namespace Webhook.Plugins.Common;

internal enum OptionType
{
    String,
    Boolean,
    Integer,
    StringList,
    StringMap,

    /// <summary>An object of template strings, or of objects of template strings (one level); the spec's check reads the entries.</summary>
    TemplateMap,
}

/// <summary>
/// One option a plugin accepts. <paramref name="Check"/> runs after the type check and returns an
/// error message (naming the option, or a part of it) or null.
/// </summary>
internal sealed record OptionSpec(
    string Name,
    OptionType Type,
    JsonNode Default,
    string Title,
    string Description,
    Func<JsonNode, (string Option, string Message)?>? Check = null)
{
    public JsonObject Schema()
    {
        var schema = new JsonObject
        {
            ["title"] = Title,
            ["description"] = Description,
            ["default"] = Default.DeepClone(),
        };
        switch (Type)
        {
            case OptionType.String: schema["type"] = "string"; break;
            case OptionType.Boolean: schema["type"] = "boolean"; break;
            case OptionType.Integer: schema["type"] = "integer"; break;
            case OptionType.StringList:
                schema["type"] = "array";
                schema["items"] = new JsonObject { ["type"] = "string" };
                break;
            case OptionType.StringMap:
                schema["type"] = "object";
                schema["additionalProperties"] = new JsonObject { ["type"] = "string" };
                break;
            case OptionType.TemplateMap:
                schema["type"] = "object";
                schema["additionalProperties"] = new JsonObject
                {
                    ["anyOf"] = new JsonArray(
                        new JsonObject { ["type"] = "string" },
                        new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } }),
                };
                break;
        }

        return schema;
    }
}

internal static class OptionChecker
{
    /// <summary>Rejects unknown options, wrong types and values the spec's own check refuses.</summary>
    public static void Check(IReadOnlyList<OptionSpec> specs, JsonObject options)
    {
        foreach (var (name, value) in options)
        {
            var spec = specs.FirstOrDefault(s => s.Name == name);
            if (spec is null)
            {
                var accepted = specs.Count == 0
                    ? "this plugin takes no options"
                    : "accepted options: " + string.Join(", ", specs.Select(s => s.Name));
                throw new OptionsException(name, $"unknown option '{name}'; {accepted}");
            }

            var typeError = TypeError(spec, value);
            if (typeError is not null)
            {
                throw new OptionsException(name, $"option '{name}' {typeError}, got {JsonText.Kind(value)}");
            }

            if (value is not null && spec.Check?.Invoke(value) is { } failure)
            {
                throw new OptionsException(failure.Option, failure.Message);
            }
        }
    }

    private static string? TypeError(OptionSpec spec, JsonNode? value) => spec.Type switch
    {
        OptionType.String => IsKind(value, JsonValueKind.String) ? null : "must be a string",
        OptionType.Boolean => IsKind(value, JsonValueKind.True) || IsKind(value, JsonValueKind.False) ? null : "must be a boolean",
        OptionType.Integer => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out _) ? null : "must be an integer",
        OptionType.StringList => value is JsonArray a && a.All(i => IsKind(i, JsonValueKind.String)) ? null : "must be a list of strings",
        OptionType.StringMap => value is JsonObject o && o.All(p => IsKind(p.Value, JsonValueKind.String)) ? null : "must be an object whose values are strings",
        OptionType.TemplateMap => value is JsonObject ? null : "must be an object of templates",
        _ => "has an unsupported type",
    };

    private static bool IsKind(JsonNode? node, JsonValueKind kind) => node is JsonValue v && v.GetValueKind() == kind;
}
