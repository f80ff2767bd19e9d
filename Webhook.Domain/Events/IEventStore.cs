using Webhook.Domain.Webhooks;

namespace Webhook.Domain.Events;

/// <summary>A stored raw request parsed for good: its events (one ERROR event when <paramref name="Error"/> is set).</summary>
/// <param name="GaveUp">Parsing was given up (retry limit): the request is stored as FAILED, replayable.</param>
public sealed record CompletedRequest(long Id, IReadOnlyList<Event> Events, string? Error, bool GaveUp = false);

/// <summary>
/// Where parsed events are kept: the port replay stores through. The implementation is hand-written SQL in
/// Infrastructure (arrays, one round trip), which the background parse worker also uses directly.
/// </summary>
public interface IEventStore
{
    /// <summary>Stores the upgrade an AUTO webhook just made, unless someone changed its plugin meanwhile.</summary>
    Task SaveUpgradeAsync(long webhookRef, string fromVersion, PluginBinding upgraded, CancellationToken cancellationToken);

    /// <summary>
    /// Replay: in one transaction, replaces every event the given (already parsed) requests produced.
    /// Two replays of the same requests run one after the other.
    /// </summary>
    /// <param name="audit">Written in the same transaction (the replay's audit entry).</param>
    Task ReplaceAsync(IReadOnlyList<CompletedRequest> reparsed, Audit.AuditEntry audit, CancellationToken cancellationToken);
}
