using System.Text.RegularExpressions;

namespace Webhook.Plugins.ApiDirect;

/// <summary>
/// convert_data templates: literal text with <c>{{ path.to.value }}</c> placeholders reading the body.
/// Paths are dot-separated; array items by index (<c>Records.0.id</c> or <c>Records[0].id</c>).
/// </summary>
internal static partial class Template
{
    [GeneratedRegex(@"\{\{\s*(?<path>[^{}]*?)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>Why a template is malformed, or null.</summary>
    public static string? Problem(string template)
    {
        foreach (Match match in Placeholder().Matches(template))
        {
            if (match.Groups["path"].Value.Length == 0)
            {
                return "has an empty {{ }} placeholder";
            }
        }

        var rest = Placeholder().Replace(template, "");
        return rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal)
            ? "has an unbalanced '{{' or '}}'"
            : null;
    }

    /// <summary>Renders the template; missing paths render as "", non-string values as their JSON text.</summary>
    public static string Render(string template, JsonNode? body) =>
        Placeholder().Replace(template, match => JsonText.Scalar(Resolve(body, match.Groups["path"].Value)) ?? "");

    public static IEnumerable<string> Paths(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["path"].Value);

    public static JsonNode? Resolve(JsonNode? node, string path)
    {
        foreach (var segment in Segments(path))
        {
            node = node switch
            {
                JsonObject obj => obj.TryGetPropertyValue(segment, out var child) ? child : null,
                JsonArray array when int.TryParse(segment, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    public static string[] Segments(string path) =>
        path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Split('.', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
