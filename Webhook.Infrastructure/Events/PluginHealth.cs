using System.Collections.Concurrent;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// What this process saw of each plugin version lately, to tell a plugin that fails one payload (it serves
/// others: that request spends an attempt) from a plugin that is down (an outage: nobody's attempts are spent).
/// </summary>
internal sealed class PluginHealth
{
    /// <summary>How long one served request counts as proof that the plugin works.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (DateTimeOffset LastServed, int OutageStreak)> _plugins = new(StringComparer.Ordinal);

    public void Served(string plugin, DateTimeOffset now) => _plugins[plugin] = (now, 0);

    public bool ServedRecently(string plugin, DateTimeOffset now) =>
        _plugins.TryGetValue(plugin, out var seen) && seen.LastServed != default && now - seen.LastServed < Window;

    /// <summary>Counts one more batch that found the plugin down; the streak drives the outage backoff.</summary>
    public int Outage(string plugin) =>
        _plugins.AddOrUpdate(plugin, _ => (default, 1), (_, seen) => (seen.LastServed, seen.OutageStreak + 1)).OutageStreak;
}
