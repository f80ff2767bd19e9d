using Microsoft.IdentityModel.JsonWebTokens;

namespace Webhook.Api.Auth;

/// <summary>
/// The authenticated caller, read once from the validated token (claims as sent: <c>sub</c>, <c>domain_id</c>,
/// <c>scope</c>, <c>projects</c>). The one place that decides which domain and projects a request works in: the
/// route groups resolve it before any handler runs (<see cref="CallerScopeFilter"/>), and readers and changes take
/// the resulting <see cref="AccessScope"/>, so no route can forget the domain or the projects.
/// </summary>
internal sealed class Caller
{
    private AccessScope? _scope;

    public Caller(string subject, string? domainId, IReadOnlySet<string> scopes, IReadOnlyList<string>? projects, string route = "")
    {
        Route = route;
        Subject = subject;
        DomainId = domainId;
        Scopes = scopes;
        Projects = projects;
    }

    /// <summary>Who (the token's <c>sub</c>), as the audit log records it.</summary>
    public string Subject { get; }

    /// <summary>The route called (<c>PUT /monitoring/v1/webhook/{webhook_id}/disable</c>), as the audit log records it.</summary>
    public string Route { get; }

    /// <summary>The token's domain; a <c>system</c> token may carry none.</summary>
    public string? DomainId { get; }

    public IReadOnlySet<string> Scopes { get; }

    /// <summary>null: every project of the domain; empty: none.</summary>
    public IReadOnlyList<string>? Projects { get; }

    public bool IsSystem => Scopes.Contains(Auth.Scopes.System);

    /// <summary>The domain and projects of this request; resolved by the route group before the handler runs.</summary>
    public AccessScope Scope => _scope ?? throw new InvalidOperationException(
        "The caller's scope was not resolved: the route's group lacks RequireCallerScope().");

    public static Caller FromToken(JsonWebToken token, string route = "")
    {
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in Strings(token, "scope") ?? [])
        {
            scopes.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        var domainId = token.TryGetPayloadValue<string>("domain_id", out var domain) && !string.IsNullOrEmpty(domain)
            ? domain
            : null;
        return new Caller(token.Subject ?? "", domainId, scopes, Strings(token, "projects"), route);
    }

    /// <summary>Handlers take the caller as a parameter; authentication put it on the request.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(context.Features.Get<Caller>());

    /// <summary>
    /// Fixes the domain this request works in from the domain_id it names (may be omitted: the token's is used),
    /// or says why it may not: another domain than the token's is 403; neither naming one is 400.
    /// </summary>
    public ProblemHttpResult? Resolve(string? requestedDomainId)
    {
        var requested = string.IsNullOrEmpty(requestedDomainId) ? null : requestedDomainId;
        if (requested is not null && requested != DomainId && !IsSystem)
        {
            return Problems.Result(Problems.Create(
                ErrorCodes.PermissionDenied, "The token does not cover this domain_id."));
        }

        var domainId = requested ?? DomainId;
        if (domainId is null)
        {
            return Problems.Result(Problems.ForKey(ErrorCodes.RequiredParameter, "domain_id", "Required parameter."));
        }

        _scope = new AccessScope(domainId, Projects);
        return null;
    }

    /// <summary>A claim that is a string or an array of strings (IdPs differ); null when absent.</summary>
    private static IReadOnlyList<string>? Strings(JsonWebToken token, string name)
    {
        if (token.TryGetPayloadValue<string[]>(name, out var array) && array is not null)
        {
            return array;
        }

        return token.TryGetPayloadValue<string>(name, out var text) && text is not null ? [text] : null;
    }
}
