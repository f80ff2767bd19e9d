using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Common;

/// <summary>
/// Reads one resource's documents through the query language's executor, so get, list, search, stat and the
/// answers of every change share one rendering (and one meaning of <c>only</c>).
/// </summary>
internal abstract class ResourceReader(QueryExecutor executor, ResourceSchema schema, string idKey)
{
    /// <summary>One document as a response body, or null when it is not in the caller's domain and projects (as if it did not exist).</summary>
    public async Task<RenderedJsonResult?> RenderAsync(AccessScope access, string id, string[]? only, CancellationToken cancellationToken) =>
        await RenderFirstAsync(access, id, only, cancellationToken) is { } body ? new RenderedJsonResult(body) : null;

    /// <summary>One document to build an answer from (the answers of changes), or null when it is not in the caller's domain and projects (as if it did not exist).</summary>
    public async Task<JsonObject?> GetAsync(AccessScope access, string id, string[]? only, CancellationToken cancellationToken)
    {
        using var body = await RenderFirstAsync(access, id, only, cancellationToken);
        return body is null ? null : JsonNode.Parse(body.Utf8.Span)!.AsObject();
    }

    public async Task<RenderedJsonResult> SearchAsync(IReadOnlyList<ScopeFilter> scope, Query query, CancellationToken cancellationToken) =>
        new(await executor.RenderSearchAsync(schema, scope, query, cancellationToken));

    public Task<JsonObject> StatAsync(IReadOnlyList<ScopeFilter> scope, StatisticsQuery query, CancellationToken cancellationToken) =>
        executor.StatAsync(schema, scope, query, cancellationToken);

    private Task<RenderedJson?> RenderFirstAsync(AccessScope access, string id, string[]? only, CancellationToken cancellationToken) =>
        executor.RenderFirstAsync(schema, ScopeFilter.Within(access, (idKey, id)), QueryParser.ParseOnly(only ?? []), cancellationToken);
}
