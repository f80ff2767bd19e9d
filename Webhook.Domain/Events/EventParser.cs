using Webhook.Domain.Common;
using Webhook.Domain.Plugins;
using Webhook.Domain.Webhooks;

namespace Webhook.Domain.Events;

/// <summary>What parsing one raw request came to.</summary>
public abstract record ParseOutcome
{
    /// <summary>Parsed for good: the events, or the one ERROR event when the plugin could not parse it.</summary>
    public sealed record Parsed(IReadOnlyList<Event> Events, string? Error) : ParseOutcome;

    /// <summary>
    /// The plugin could not parse it now: try again later, nothing is stored. <paramref name="Outage"/> when it is the
    /// plugin's fault for sure (unreachable, or its version left the registry); otherwise the caller decides whether
    /// the plugin failed this payload alone (it serves others) or is down.
    /// </summary>
    public sealed record Retry(string Reason, bool Outage) : ParseOutcome;
}

/// <param name="Binding">The binding to parse with.</param>
/// <param name="Upgraded">True when <paramref name="Binding"/> is a new AUTO upgrade the caller should store.</param>
/// <param name="UpgradeRejected">Why a newer version was skipped (its init rejected the options), for the caller's log.</param>
public sealed record ResolvedBinding(PluginBinding Binding, bool Upgraded, string? UpgradeRejected);

/// <summary>
/// Runs one raw request through a webhook's plugin and turns the answer into events: shared by the background
/// worker and replay, so both make the same events from the same payload.
/// </summary>
public sealed class EventParser(PluginCatalog catalog, IPluginGateway gateway, IIdGenerator ids, TimeProvider clock, ParseLimits limits)
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
        if (payload.ValueKind == JsonValueKind.String && Json.IsNestedTooDeep(payload.GetString()!))
        {
            return Failed(source, binding.PluginId, payload,
                $"The payload is JSON nested deeper than {Json.MaxDepth} levels; it is kept as text and was not sent to the plugin.");
        }

        Uri endpoint;
        IReadOnlyList<EventInfo> infos;
        try
        {
            endpoint = _binder.EndpointOf(binding);
            infos = await gateway.ParseAsync(endpoint, binding.Options, payload, cancellationToken);
        }
        catch (PluginRejectedException e)
        {
            return Failed(source, binding.PluginId, payload, e.Message);
        }
        catch (PluginUnavailableException e)
        {
            return new ParseOutcome.Retry(e.Message, e.Unreachable);
        }
        catch (DomainException e)
        {
            // The registry lost the webhook's plugin version: configuration can bring it back, no payload is to blame.
            return new ParseOutcome.Retry(e.Message, Outage: true);
        }

        var now = clock.GetUtcNow();
        var kept = Math.Min(infos.Count, limits.MaxEventsPerRequest);
        var events = new List<Event>(kept + 1);
        for (var i = 0; i < kept; i++)
        {
            try
            {
                events.Add(Event.FromPlugin(infos[i], source, i, ids.NewEventId(), payload, now));
            }
            catch (InvalidEventException e)
            {
                return Failed(source, binding.PluginId, payload, $"The plugin answered an invalid event (results[{i}]): {e.Message}");
            }
        }

        if (infos.Count > kept)
        {
            var reason = $"The plugin made {infos.Count} events of one request; the first {kept} are kept, {infos.Count - kept} were dropped.";
            events.Add(Event.ParseError(source, binding.PluginId, reason, ids.NewEventId(), payload, now, sequence: kept));
            return new ParseOutcome.Parsed(events, reason);
        }

        return new ParseOutcome.Parsed(events, null);
    }

    /// <summary>The request ends as one ERROR event saying <paramref name="reason"/> (no plugin call).</summary>
    public ParseOutcome.Parsed Failed(EventSource source, string pluginId, JsonElement? payload, string reason) =>
        new([Event.ParseError(source, pluginId, reason, ids.NewEventId(), payload, clock.GetUtcNow())], reason);
}
