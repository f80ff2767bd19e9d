using DomainWebhook = Webhook.Domain.Webhooks.Webhook;

namespace Webhook.Api.Auth;

/// <summary>EF reads and changes of webhooks see only what the caller's <see cref="AccessScope"/> covers.</summary>
internal static class AccessScopeQueries
{
    /// <summary>The webhooks of the caller's domain and, when the caller is limited to some projects, of those.</summary>
    public static IQueryable<DomainWebhook> Within(this IQueryable<DomainWebhook> webhooks, AccessScope access)
    {
        var domainId = access.DomainId;
        var inDomain = webhooks.Where(w => w.DomainId == domainId);
        if (access.Projects is not { } projects)
        {
            return inDomain;
        }

        var allowed = projects.ToList();
        return inDomain.Where(w => allowed.Contains(w.ProjectId));
    }
}
