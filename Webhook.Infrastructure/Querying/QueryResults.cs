using System.Text.Json.Nodes;

namespace Webhook.Infrastructure.Querying;

/// <summary>An equality on a schema field that the caller's scope imposes; ANDed with the whole query.</summary>
public sealed record ScopeFilter(string Key, string Value);

/// <summary>One page of search results (empty when count_only) and the count of every match.</summary>
public sealed record SearchPage(IReadOnlyList<JsonObject> Results, long TotalCount);
