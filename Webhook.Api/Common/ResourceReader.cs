using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Common;

/// <summary>
/// Reads one resource's documents through the query language's executor, so get, list, search, stat and the
/// answers of every change share one rendering (and one meaning of <c>only</c>).
/// </summary>
internal abstract class ResourceReader(QueryExecutor executor, ResourceSchema schema, string idKey)
{
    /// <returns>Null when the id is not in the caller's domain and projects (as if it did not exist).</returns>
    public async Task<JsonObject?> GetAsync(AccessScope access, string id, string[]? only, CancellationToken cancellationToken)
    {
        var query = QueryParser.ParseOnly(only ?? []);
        var page = await executor.SearchAsync(schema, ScopeFilter.Within(access, (idKey, id)), query, cancellationToken);
        return page.Results.Count > 0 ? page.Results[0] : null;
    }

    public async Task<JsonObject> SearchAsync(IReadOnlyList<ScopeFilter> scope, Query query, CancellationToken cancellationToken)
    {
        var page = await executor.SearchAsync(schema, scope, query, cancellationToken);
        return new JsonObject
        {
            ["results"] = new JsonArray([.. page.Results]),
            ["total_count"] = page.TotalCount,
        };
    }

    public Task<JsonObject> StatAsync(IReadOnlyList<ScopeFilter> scope, StatisticsQuery query, CancellationToken cancellationToken) =>
        executor.StatAsync(schema, scope, query, cancellationToken);
}
