using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Webhook.Api.Auth;

namespace Webhook.Tests.Auth;

/// <summary>
/// Every route the API maps, read from its EndpointDataSource, so auth tests cover routes added later without
/// being edited: the management routes need a token with a scope; the receiver, health and metrics do not.
/// </summary>
public sealed record ManagementRoute(string Method, string Pattern, string? Scope, bool NamesDomain)
{
    /// <summary>Routes anyone may call: senders (the key is their credential), probes and scrapers.</summary>
    public static readonly string[] AnonymousPatterns =
    [
        "/healthz", "/readyz", "/metrics",
        "/monitoring/v1/webhook/{webhook_id}/{access_key}/events",
        "/monitoring/v1/webhook/{webhook_id}/events",
    ];

    public static bool IsAnonymousPattern(string pattern) =>
        AnonymousPatterns.Contains(pattern) || pattern.StartsWith("/swagger", StringComparison.Ordinal);

    /// <summary>A concrete URL: each route parameter filled with an id that exists nowhere.</summary>
    public string Url(string? domainId = null)
    {
        var path = Regex.Replace(Pattern, @"\{[^}]+\}", "id-000000000000");
        return domainId is not null && Method is "GET" or "DELETE" ? $"{path}?domain_id={domainId}" : path;
    }

    public HttpRequestMessage Request(string? domainId = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Url(domainId));
        if (Method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(domainId is null ? new JsonObject() : new JsonObject { ["domain_id"] = domainId });
        }

        return request;
    }

    public override string ToString() => $"{Method} {Pattern}";

    public static IReadOnlyList<RouteEndpoint> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    public static IReadOnlyList<ManagementRoute> All(IServiceProvider services) =>
        [.. Endpoints(services)
            .Where(e => !IsAnonymousPattern(PatternOf(e)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method =>
                new ManagementRoute(
                    method,
                    PatternOf(e),
                    e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null),
                    e.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
                        .Any(p => typeof(IDomainRequest).IsAssignableFrom(p.ParameterType)) == true)))
            .OrderBy(r => r.Pattern).ThenBy(r => r.Method)];

    public static string PatternOf(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
}
