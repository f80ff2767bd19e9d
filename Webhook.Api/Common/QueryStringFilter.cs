namespace Webhook.Api.Common;

/// <summary>
/// Rejects query-string parameters a GET/DELETE route does not know, as unknown JSON fields are rejected: a typo such
/// as <c>projet_id</c> must not silently widen a list.
/// </summary>
internal sealed class QueryStringFilter(IReadOnlySet<string> allowed) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var unknown = context.HttpContext.Request.Query.Keys.FirstOrDefault(key => !allowed.Contains(key));
        return unknown is null
            ? next(context)
            : ValueTask.FromResult<object?>(Problems.Result(Problems.ForKey(
                ErrorCodes.InvalidArgument, unknown, $"Unknown query parameter; this route takes {string.Join(", ", allowed)}.")));
    }
}

internal static class QueryStringFilterExtensions
{
    public static RouteHandlerBuilder AllowQuery(this RouteHandlerBuilder builder, params string[] parameters) =>
        builder.AddEndpointFilter(new QueryStringFilter(new HashSet<string>(parameters, StringComparer.Ordinal)));
}
