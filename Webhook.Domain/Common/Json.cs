namespace Webhook.Domain.Common;

public static class Json
{
    /// <summary>
    /// The one nesting limit from receipt to storage (System.Text.Json's default, which the plugin host and the
    /// plugin client read with too): the receiver keeps deeper JSON as text, and parsing turns it into an ERROR event.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>True when <paramref name="text"/> is JSON (or its start) nested deeper than <see cref="MaxDepth"/>.</summary>
    public static bool IsNestedTooDeep(string text)
    {
        var start = text.AsSpan().TrimStart();
        if (start.IsEmpty || start[0] is not ('[' or '{'))
        {
            return false;
        }

        // The reader keeps its depth in a bit stack, not on the call stack: any depth is safe to measure.
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= MaxDepth)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>An empty JSON object, for bags (tags, options, metadata) that were not given.</summary>
    public static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();
}
