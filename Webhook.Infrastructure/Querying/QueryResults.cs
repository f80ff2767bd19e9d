using System.Text.Json.Nodes;

namespace Webhook.Infrastructure.Querying;

/// <summary>An equality on a schema field that the caller's scope imposes; ANDed with the whole query.</summary>
public sealed record ScopeFilter(string Key, string Value)
{
    /// <summary>The caller's domain, narrowed by each plain field given (null or empty: not given).</summary>
    public static List<ScopeFilter> Within(string domainId, params (string Key, string? Value)[] plainFields)
    {
        var scope = new List<ScopeFilter> { new("domain_id", domainId) };
        scope.AddRange(plainFields
            .Where(field => !string.IsNullOrEmpty(field.Value))
            .Select(field => new ScopeFilter(field.Key, field.Value!)));
        return scope;
    }
}

/// <summary>One page of search results (empty when count_only) and the count of every match.</summary>
public sealed record SearchPage(IReadOnlyList<JsonObject> Results, long TotalCount);
