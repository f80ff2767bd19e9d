using Webhook.Domain.Plugins;

namespace Webhook.Api.Plugins;

internal static class PluginEndpoints
{
    public static RouteGroupBuilder MapPluginEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring/v1").WithTags("Plugin").RejectUnknownQueryParameters()
            .RequireScope(Scopes.WebhookRead);
        group.MapGet("/plugins", List).WithName("ListPlugins")
            .WithSummary("The plugins webhooks can be bound to, with their versions (newest first) and capability");
        return group;
    }

    public static Ok<PluginsInfo> List(PluginCatalog catalog)
    {
        var plugins = catalog.All
            .Select(p => new PluginInfo(p.PluginId, p.Name, p.Versions.Select(v => v.Version).ToList(), p.Capability))
            .ToList();
        return TypedResults.Ok(new PluginsInfo(plugins, plugins.Count));
    }
}

public sealed record PluginInfo(string PluginId, string Name, IReadOnlyList<string> Versions, JsonElement Capability);

public sealed record PluginsInfo(IReadOnlyList<PluginInfo> Results, int TotalCount);
