namespace Webhook.Domain.Common;

public static class Json
{
    /// <summary>An empty JSON object, for bags (tags, options, metadata) that were not given.</summary>
    public static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();
}
