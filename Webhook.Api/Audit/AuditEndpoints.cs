using System.ComponentModel;
using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Audit;

/// <summary>Reading the audit log: one domain (and the token's projects), newest first, through the query language.</summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring/v1").WithTags("Audit").RejectUnknownQueryParameters().RequireCallerScope()
            .RequireScope(Scopes.AuditRead);

        group.MapPost("/audit/search", Search).WithName("SearchAudit")
            .WithSummary("Accepted changes (who, when, route, webhook, changed fields), newest first, with the query language")
            .Validate<AuditQueryRequest>().Produces<AuditEntriesInfo>();

        return group;
    }

    public static Task<RenderedJsonResult> Search(
        AuditQueryRequest request, Caller caller, AuditReader reader, CancellationToken cancellationToken) =>
        reader.SearchAsync(ScopeFilter.Within(caller.Scope), QueryParser.Parse(request.Query), cancellationToken);
}

public sealed record AuditQueryRequest(
    [property: Description("The query language (QUERY.md) over audit_id, created_at, sub, action, route, webhook_id, project_id, changes.")]
    JsonElement? Query,
    string? DomainId) : IDomainRequest;

public sealed record AuditEntryInfo(
    string AuditId,
    [property: Description("ISO 8601 UTC with milliseconds")] string CreatedAt,
    [property: Description("The token's sub: who made the change.")] string Sub,
    [property: Description("create, update, update_plugin, enable, disable, delete, rotate_access_key, replay or heartbeat")] string Action,
    [property: Description("Method and route template, e.g. PUT /monitoring/v1/webhook/{webhook_id}/disable")] string Route,
    string? WebhookId,
    string? ProjectId,
    string DomainId,
    [property: Description("Changed field names and their new values (never keys, URLs or plugin option values).")] JsonNode? Changes);

public sealed record AuditEntriesInfo(IReadOnlyList<AuditEntryInfo> Results, long TotalCount);

internal sealed class AuditQueryRequestValidator : AbstractValidator<AuditQueryRequest>
{
    public AuditQueryRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class AuditReader(QueryExecutor executor) : ResourceReader(executor, ResourceSchemas.Audit, "audit_id");
