using Webhook.Domain.Common;
using Webhook.Domain.Events;

namespace Webhook.Domain.Plugins;

/// <summary>Calls a plugin over its HTTP protocol. Failures surface as the exceptions below.</summary>
public interface IPluginGateway
{
    /// <returns>The metadata the plugin describes itself with.</returns>
    Task<JsonElement> InitAsync(Uri endpoint, JsonElement options, CancellationToken cancellationToken);

    Task VerifyAsync(Uri endpoint, JsonElement options, CancellationToken cancellationToken);

    /// <summary>Turns one raw payload into events; a payload the plugin does not understand is a <see cref="PluginRejectedException"/>.</summary>
    Task<IReadOnlyList<EventInfo>> ParseAsync(Uri endpoint, JsonElement options, JsonElement data, CancellationToken cancellationToken);
}

/// <summary>The plugin answered 4xx: the options (or payload) are wrong. Its message is passed on.</summary>
public sealed class PluginRejectedException(string message)
    : DomainException(ErrorCodes.PluginRejected, message);

/// <summary>The plugin timed out, refused the connection, answered 5xx or answered what is not its protocol.</summary>
/// <param name="unreachable">No answer at all (connection refused or reset): an outage, whatever the payload.</param>
public sealed class PluginUnavailableException(string message, Exception? inner = null, bool unreachable = false)
    : DomainException(ErrorCodes.PluginUnavailable, message)
{
    public Exception? Transport { get; } = inner;

    /// <summary>
    /// True when the plugin could not be reached at all; false when it answered (5xx, garbage) or timed out, which
    /// may be this payload's doing if the plugin serves others meanwhile.
    /// </summary>
    public bool Unreachable { get; } = unreachable;
}
