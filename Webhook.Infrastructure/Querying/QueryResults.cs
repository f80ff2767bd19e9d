using System.Text.Json.Nodes;
using Webhook.Domain.Common;

namespace Webhook.Infrastructure.Querying;

/// <summary>
/// A condition the caller's scope imposes on a schema field: it equals one of <see cref="Values"/> (none: no row);
/// ANDed with the whole query, so nothing in a query (filter_or, not_in, distinct, group) can widen it.
/// </summary>
public sealed record ScopeFilter(string Key, IReadOnlyList<string> Values)
{
    public ScopeFilter(string key, string value)
        : this(key, [value])
    {
    }

    /// <summary>
    /// The caller's domain and, when the caller is limited to some projects, those projects; narrowed by each plain
    /// field given (null or empty: not given).
    /// </summary>
    public static List<ScopeFilter> Within(AccessScope access, params (string Key, string? Value)[] plainFields)
    {
        var scope = new List<ScopeFilter> { new("domain_id", access.DomainId) };
        if (access.Projects is { } projects)
        {
            scope.Add(new ScopeFilter("project_id", projects));
        }

        scope.AddRange(plainFields
            .Where(field => !string.IsNullOrEmpty(field.Value))
            .Select(field => new ScopeFilter(field.Key, field.Value!)));
        return scope;
    }
}

/// <summary>One page of search results (empty when count_only) and the count of every match.</summary>
public sealed record SearchPage(IReadOnlyList<JsonObject> Results, long TotalCount);
