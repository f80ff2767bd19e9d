namespace Webhook.Domain.Common;

/// <summary>
/// What one caller may see and change: one domain and, when <see cref="Projects"/> is not null, only the
/// webhooks and events of those projects (an empty list: none).
/// </summary>
public sealed record AccessScope(string DomainId, IReadOnlyList<string>? Projects)
{
    public static AccessScope WholeDomain(string domainId) => new(domainId, null);

    public bool Covers(string projectId) => Projects is null || Projects.Contains(projectId, StringComparer.Ordinal);
}
