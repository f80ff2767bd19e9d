using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Webhook.Api.Common;

/// <summary>
/// Rejects query-string parameters a route does not bind, as unknown JSON fields are rejected: a typo such as
/// <c>projet_id</c> must not silently widen a list.
/// </summary>
internal sealed class QueryStringFilter(IReadOnlyCollection<string> allowed) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var unknown = context.HttpContext.Request.Query.Keys.FirstOrDefault(key => !allowed.Contains(key));
        return unknown is null
            ? next(context)
            : ValueTask.FromResult<object?>(Problems.Result(Problems.ForKey(ErrorCodes.InvalidArgument, unknown, Explain())));
    }

    private string Explain() => allowed.Count == 0
        ? "Unknown query parameter; this route takes none."
        : $"Unknown query parameter; this route takes {string.Join(", ", allowed)}.";

    /// <summary>
    /// The query names a handler binds, read from its signature (<c>[FromQuery]</c> parameters and the
    /// <c>[FromQuery]</c> properties of its <c>[AsParameters]</c> records), so the allow-list cannot drift from
    /// what the route really reads.
    /// </summary>
    public static IReadOnlyCollection<string> BoundBy(MethodInfo handler)
    {
        var names = new List<string>();
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                names.AddRange(parameter.ParameterType.GetProperties()
                    .Select(p => p.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault() is { } query
                        ? query.Name ?? p.Name
                        : null)
                    .OfType<string>());
            }
            else if (parameter.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault() is { } query)
            {
                names.Add(query.Name ?? parameter.Name!);
            }
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }
}

internal static class QueryStringFilterExtensions
{
    /// <summary>
    /// Every route of the group answers 400 to a query parameter its handler does not bind. Applied to groups, never
    /// route by route, so a new route cannot forget it.
    /// </summary>
    public static RouteGroupBuilder RejectUnknownQueryParameters(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status400BadRequest).AddEndpointFilterFactory((context, next) =>
        {
            var filter = new QueryStringFilter(QueryStringFilter.BoundBy(context.MethodInfo));
            return invocation => filter.InvokeAsync(invocation, next);
        });
}
