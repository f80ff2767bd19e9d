using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Common;

/// <summary>
/// Reads one resource's documents through the query language's executor, so get, list, search, stat and the
/// answers of every change share one rendering (and one meaning of <c>only</c>).
/// </summary>
internal abstract class ResourceReader(QueryExecutor executor, ResourceSchema schema, string idKey)
{
    public async Task<JsonObject?> GetAsync(string domainId, string id, string[]? only, CancellationToken cancellationToken)
    {
        var query = QueryParser.ParseOnly(only ?? []);
        var page = await executor.SearchAsync(
            schema, [new ScopeFilter("domain_id", domainId), new ScopeFilter(idKey, id)], query, cancellationToken);
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
