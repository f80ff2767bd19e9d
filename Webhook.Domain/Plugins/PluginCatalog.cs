using Webhook.Domain.Common;

namespace Webhook.Domain.Plugins;

public sealed record PluginVersion(string Version, Uri Endpoint);

public sealed record PluginDescriptor(
    string PluginId,
    string Name,
    JsonElement Capability,
    IReadOnlyList<PluginVersion> Versions)
{
    /// <summary>Versions are kept newest first.</summary>
    public PluginVersion Newest => Versions[0];

    public PluginVersion? Find(string version) => Versions.FirstOrDefault(v => v.Version == version);
}

/// <summary>
/// The registry of plugins the service can bind webhooks to, and the rules for choosing a version.
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, PluginDescriptor> _plugins;

    public PluginCatalog(IEnumerable<PluginDescriptor> plugins)
    {
        _plugins = plugins.ToDictionary(
            p => p.PluginId,
            p => p with { Versions = p.Versions.OrderByDescending(v => v.Version, VersionComparer.Instance).ToList() },
            StringComparer.Ordinal);
    }

    public IReadOnlyCollection<PluginDescriptor> All =>
        _plugins.Values.OrderBy(p => p.PluginId, StringComparer.Ordinal).ToList();

    public PluginDescriptor Get(string pluginId) =>
        _plugins.TryGetValue(pluginId, out var plugin)
            ? plugin
            : throw new DomainException(
                ErrorCodes.PluginNotFound,
                $"Plugin not found. (plugin_id = {pluginId})",
                "plugin_info.plugin_id");

    /// <summary>No version asked for means the newest one.</summary>
    public PluginVersion Resolve(string pluginId, string? version)
    {
        var plugin = Get(pluginId);
        if (string.IsNullOrEmpty(version))
        {
            return plugin.Newest;
        }

        return plugin.Find(version) ?? throw new DomainException(
            ErrorCodes.PluginVersionNotFound,
            $"Plugin version not found. (plugin_id = {pluginId}, version = {version})",
            "plugin_info.version");
    }

    /// <summary>
    /// The version a webhook should run now: AUTO follows the newest registered version, MANUAL keeps
    /// the stored one. Null when nothing changes.
    /// </summary>
    public PluginVersion? UpgradeFor(string pluginId, string storedVersion, Webhooks.UpgradeMode mode)
    {
        if (mode != Webhooks.UpgradeMode.AUTO || !_plugins.TryGetValue(pluginId, out var plugin))
        {
            return null;
        }

        return VersionComparer.Instance.Compare(plugin.Newest.Version, storedVersion) > 0 ? plugin.Newest : null;
    }
}

/// <summary>Orders dotted versions numerically per part ("1.10.0" after "1.9.2"), text parts ordinally.</summary>
public sealed class VersionComparer : IComparer<string>
{
    public static readonly VersionComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var left = (x ?? "").Split('.');
        var right = (y ?? "").Split('.');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var a = i < left.Length ? left[i] : "0";
            var b = i < right.Length ? right[i] : "0";
            var result = long.TryParse(a, out var na) && long.TryParse(b, out var nb)
                ? na.CompareTo(nb)
                : string.CompareOrdinal(a, b);
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }
}
