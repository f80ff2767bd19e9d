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
            .Validate<AuditQueryRequest>();

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

internal sealed class AuditQueryRequestValidator : AbstractValidator<AuditQueryRequest>
{
    public AuditQueryRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class AuditReader(QueryExecutor executor) : ResourceReader(executor, ResourceSchemas.Audit, "audit_id");
