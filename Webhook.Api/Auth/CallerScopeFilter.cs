namespace Webhook.Api.Auth;

/// <summary>A request that names (or may omit) the domain it works in.</summary>
internal interface IDomainRequest
{
    string? DomainId { get; }
}

/// <summary>
/// Resolves the caller's domain and projects for every route of a group before its handler runs: the request's
/// <c>domain_id</c> against the token (DESIGN.md "Who may call"). Nothing is read or written for a refused request.
/// </summary>
internal sealed class CallerScopeFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Features.Get<Caller>() is not { } caller)
        {
            // Only reachable on a route without a token policy; the endpoint test forbids such routes.
            throw new InvalidOperationException("A route that resolves the caller's scope must require a token.");
        }

        var request = context.Arguments.OfType<IDomainRequest>().FirstOrDefault();
        return caller.Resolve(request?.DomainId) is { } refusal
            ? ValueTask.FromResult<object?>(refusal)
            : next(context);
    }
}
