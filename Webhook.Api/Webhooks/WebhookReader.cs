using Webhook.Infrastructure.Querying;
using Webhook.Domain.Querying;

namespace Webhook.Api.Webhooks;

/// <summary>
/// Reads webhooks as WebhookInfo documents through the query language's executor, so get, list, search and
/// the answers of every change share one rendering (and one meaning of <c>only</c>).
/// </summary>
internal sealed class WebhookReader(QueryExecutor executor)
{
    public async Task<JsonObject?> GetAsync(string domainId, string webhookId, string[]? only, CancellationToken cancellationToken)
    {
        var query = only is { Length: > 0 }
            ? QueryParser.Parse(JsonSerializer.SerializeToElement(new JsonObject { ["only"] = new JsonArray([.. only.Select(o => JsonValue.Create(o))]) }))
            : QueryParser.Parse(null);
        var page = await executor.SearchAsync(
            ResourceSchemas.Webhooks,
            [new ScopeFilter("domain_id", domainId), new ScopeFilter("webhook_id", webhookId)],
            query,
            cancellationToken);
        return page.Results.Count > 0 ? page.Results[0] : null;
    }

    public async Task<JsonObject> SearchAsync(IReadOnlyList<ScopeFilter> scope, Query query, CancellationToken cancellationToken)
    {
        var page = await executor.SearchAsync(ResourceSchemas.Webhooks, scope, query, cancellationToken);
        return new JsonObject
        {
            ["results"] = new JsonArray([.. page.Results]),
            ["total_count"] = page.TotalCount,
        };
    }

    public Task<JsonObject> StatAsync(IReadOnlyList<ScopeFilter> scope, StatisticsQuery query, CancellationToken cancellationToken) =>
        executor.StatAsync(ResourceSchemas.Webhooks, scope, query, cancellationToken);
}
