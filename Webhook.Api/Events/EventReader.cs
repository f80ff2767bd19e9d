using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Events;

/// <summary>Reads events as EventInfo documents through the query language's executor (as WebhookReader does for webhooks).</summary>
internal sealed class EventReader(QueryExecutor executor)
{
    public async Task<JsonObject?> GetAsync(string domainId, string eventId, string[]? only, CancellationToken cancellationToken)
    {
        var query = only is { Length: > 0 }
            ? QueryParser.Parse(JsonSerializer.SerializeToElement(new JsonObject { ["only"] = new JsonArray([.. only.Select(o => JsonValue.Create(o))]) }))
            : QueryParser.Parse(null);
        var page = await executor.SearchAsync(
            ResourceSchemas.Events,
            [new ScopeFilter("domain_id", domainId), new ScopeFilter("event_id", eventId)],
            query,
            cancellationToken);
        return page.Results.Count > 0 ? page.Results[0] : null;
    }

    public async Task<JsonObject> SearchAsync(IReadOnlyList<ScopeFilter> scope, Query query, CancellationToken cancellationToken)
    {
        var page = await executor.SearchAsync(ResourceSchemas.Events, scope, query, cancellationToken);
        return new JsonObject
        {
            ["results"] = new JsonArray([.. page.Results]),
            ["total_count"] = page.TotalCount,
        };
    }

    public Task<JsonObject> StatAsync(IReadOnlyList<ScopeFilter> scope, StatisticsQuery query, CancellationToken cancellationToken) =>
        executor.StatAsync(ResourceSchemas.Events, scope, query, cancellationToken);
}
