using Webhook.Domain.Common;
using Webhook.Domain.Plugins;
using Webhook.Domain.Webhooks;

namespace Webhook.Domain.Events;

/// <summary>What parsing one raw request came to.</summary>
public abstract record ParseOutcome
{
    /// <summary>Parsed for good: the events, or the one ERROR event when the plugin could not parse it.</summary>
    public sealed record Parsed(IReadOnlyList<Event> Events, string? Error) : ParseOutcome;

    /// <summary>The plugin could not be reached (or answered 5xx): try again later, nothing is stored.</summary>
    public sealed record Retry(string Reason) : ParseOutcome;
}

/// <param name="Binding">The binding to parse with.</param>
/// <param name="Upgraded">True when <paramref name="Binding"/> is a new AUTO upgrade the caller should store.</param>
/// <param name="UpgradeRejected">Why a newer version was skipped (its init rejected the options), for the caller's log.</param>
public sealed record ResolvedBinding(PluginBinding Binding, bool Upgraded, string? UpgradeRejected);

/// <summary>
/// Runs one raw request through a webhook's plugin and turns the answer into events: shared by the background
/// worker and replay, so both make the same events from the same payload.
/// </summary>
public sealed class EventParser(PluginCatalog catalog, IPluginGateway gateway, IIdGenerator ids, TimeProvider clock)
{
    private readonly PluginBinder _binder = new(catalog, gateway);

    /// <summary>
    /// The binding to parse with: AUTO webhooks move to a newer registered version first (init runs again).
    /// A newer version that rejects the stored options is skipped rather than failing every event.
    /// </summary>
    public async Task<ResolvedBinding> ResolveAsync(PluginBinding current, CancellationToken cancellationToken)
    {
        try
        {
            var upgraded = await _binder.UpgradeIfDueAsync(current, cancellationToken);
            return upgraded is null ? new ResolvedBinding(current, false, null) : new ResolvedBinding(upgraded, true, null);
        }
        catch (PluginRejectedException e)
        {
            return new ResolvedBinding(current, false, e.Message);
        }
    }

    public async Task<ParseOutcome> ParseAsync(
        EventSource source, PluginBinding binding, JsonElement payload, CancellationToken cancellationToken)
    {
        Uri endpoint;
        IReadOnlyList<EventInfo> infos;
        try
        {
            endpoint = _binder.EndpointOf(binding);
            infos = await gateway.ParseAsync(endpoint, binding.Options, payload, cancellationToken);
        }
        catch (PluginRejectedException e)
        {
            return Failed(source, binding, payload, e.Message);
        }
        catch (DomainException e)
        {
            // Unavailable, or the registry lost the webhook's plugin version: configuration can bring it back.
            return new ParseOutcome.Retry(e.Message);
        }

        var now = clock.GetUtcNow();
        var events = new List<Event>(infos.Count);
        for (var i = 0; i < infos.Count; i++)
        {
            try
            {
                events.Add(Event.FromPlugin(infos[i], source, i, ids.NewEventId(), payload, now));
            }
            catch (InvalidEventException e)
            {
                return Failed(source, binding, payload, $"The plugin answered an invalid event (results[{i}]): {e.Message}");
            }
        }

        return new ParseOutcome.Parsed(events, null);
    }

    private ParseOutcome Failed(EventSource source, PluginBinding binding, JsonElement payload, string reason) =>
        new ParseOutcome.Parsed(
            [Event.ParseError(source, binding.PluginId, reason, ids.NewEventId(), payload, clock.GetUtcNow())],
            reason);
}
