using Webhook.Domain.Webhooks;

namespace Webhook.Domain.Plugins;

/// <summary>
/// Chooses the plugin version a webhook runs and (re)initialises it: every binding it returns carries the
/// metadata that version's init answered, so a failed init leaves nothing to store.
/// </summary>
public sealed class PluginBinder(PluginCatalog catalog, IPluginGateway gateway)
{
    public async Task<(PluginBinding Binding, JsonElement Capability)> BindNewAsync(
        string pluginId, string? version, JsonElement options, UpgradeMode upgradeMode, CancellationToken cancellationToken)
    {
        var plugin = catalog.Get(pluginId);
        var chosen = catalog.Resolve(pluginId, version);
        var metadata = await gateway.InitAsync(chosen.Endpoint, options, cancellationToken);
        return (new PluginBinding(pluginId, chosen.Version, options, metadata, upgradeMode), plugin.Capability);
    }

    /// <summary>update_plugin: each given field replaces the stored one; AUTO without a version moves to the newest.</summary>
    public async Task<PluginBinding> RebindAsync(
        PluginBinding current, string? version, JsonElement? options, UpgradeMode? upgradeMode, CancellationToken cancellationToken)
    {
        var mode = upgradeMode ?? current.UpgradeMode;
        var target = !string.IsNullOrEmpty(version) ? version
            : catalog.UpgradeFor(current.PluginId, current.Version, mode)?.Version ?? current.Version;
        var chosen = catalog.Resolve(current.PluginId, target);
        var newOptions = options ?? current.Options;
        var metadata = await gateway.InitAsync(chosen.Endpoint, newOptions, cancellationToken);
        return new PluginBinding(current.PluginId, chosen.Version, newOptions, metadata, mode);
    }

    /// <summary>AUTO webhooks follow the newest registered version whenever their plugin is used. Null: no change.</summary>
    public async Task<PluginBinding?> UpgradeIfDueAsync(PluginBinding current, CancellationToken cancellationToken)
    {
        var newer = catalog.UpgradeFor(current.PluginId, current.Version, current.UpgradeMode);
        if (newer is null)
        {
            return null;
        }

        var metadata = await gateway.InitAsync(newer.Endpoint, current.Options, cancellationToken);
        return current with { Version = newer.Version, Metadata = metadata };
    }

    /// <summary>The endpoint of the version a binding names; a version dropped from the registry is an error.</summary>
    public Uri EndpointOf(PluginBinding binding) => catalog.Resolve(binding.PluginId, binding.Version).Endpoint;

    public Task VerifyAsync(PluginBinding binding, CancellationToken cancellationToken) =>
        gateway.VerifyAsync(EndpointOf(binding), binding.Options, cancellationToken);
}
