using Webhook.Api.Audit;
using Microsoft.Extensions.Options;
using Webhook.Domain.Events;
using Webhook.Domain.Plugins;
using Webhook.Infrastructure;
using Webhook.Infrastructure.Events;

namespace Webhook.Api.Events;

/// <param name="Events">The events made (or, for a dry run, that would be made), in request order.</param>
/// <param name="Requests">How many stored requests were parsed again.</param>
internal sealed record ReplayResult(IReadOnlyList<Event> Events, int Requests);

/// <summary>
/// Re-parses a webhook's stored raw requests with its current plugin (AUTO upgrades apply). Only requests already
/// parsed are replayed; pending ones belong to the worker, which parses them with the same plugin anyway.
/// Without dry run, the events those requests produced are replaced in one transaction.
/// </summary>
internal sealed partial class EventReplayer(
    WebhookDbContext db,
    EventParser parser,
    IEventStore store,
    IOptions<WebhookOptions> options,
    AuditLog audit,
    ILogger<EventReplayer> logger)
{
    /// <returns>Null when the webhook is not in the caller's domain and projects.</returns>
    public async Task<ReplayResult?> ReplayAsync(
        Caller caller, string webhookId, DateTimeOffset? start, DateTimeOffset? end, bool dryRun, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.AsNoTracking().Within(caller.Scope)
            .SingleOrDefaultAsync(w => w.WebhookId == webhookId, cancellationToken);
        if (webhook is null)
        {
            return null;
        }

        var cap = options.Value.ReplayMaxRequests;
        var requests = await db.WebhookRequests.AsNoTracking()
            .Where(r => r.WebhookRef == webhook.Id && (r.Status == RequestStatus.Done || r.Status == RequestStatus.Failed)
                        && (start == null || r.ReceivedAt >= start) && (end == null || r.ReceivedAt < end))
            .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.Payload })
            .Take(cap + 1)
            .ToListAsync(cancellationToken);
        if (requests.Count > cap)
        {
            throw new DomainException(
                ErrorCodes.InvalidArgument,
                $"More than {cap} stored requests in this time range; replay a narrower range (start, end).",
                "end");
        }

        var (binding, upgraded, rejected) = await parser.ResolveAsync(webhook.Plugin, cancellationToken);
        if (rejected is not null)
        {
            LogUpgradeRejected(webhook.WebhookId, webhook.PluginId, rejected);
        }

        if (upgraded && !dryRun)
        {
            await store.SaveUpgradeAsync(webhook.Id, webhook.PluginVersion, binding, cancellationToken);
        }

        using var gate = new SemaphoreSlim(options.Value.ParseConcurrency);
        var outcomes = await Task.WhenAll(requests.Select(async request =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var source = new EventSource(request.Id, webhook.WebhookId, webhook.Name, webhook.ProjectId, webhook.DomainId);
                return (request.Id, Outcome: await parser.ParseAsync(source, binding, request.Payload, cancellationToken));
            }
            finally
            {
                gate.Release();
            }
        }));

        var completed = new List<CompletedRequest>(outcomes.Length);
        foreach (var (id, outcome) in outcomes)
        {
            switch (outcome)
            {
                case ParseOutcome.Parsed parsed:
                    completed.Add(new CompletedRequest(id, parsed.Events, parsed.Error));
                    break;
                case ParseOutcome.Retry retry:
                    // All or nothing: a half-replayed range would mix old and new events.
                    throw new PluginUnavailableException(retry.Reason);
            }
        }

        if (!dryRun && completed.Count > 0)
        {
            var changes = new JsonObject
            {
                ["start"] = start?.ToString("O"), ["end"] = end?.ToString("O"), ["requests"] = completed.Count,
            };
            await store.ReplaceAsync(completed, audit.Entry(caller, "replay", webhook, changes), cancellationToken);
        }

        return new ReplayResult(completed.SelectMany(c => c.Events).ToList(), completed.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Replay of webhook {WebhookId} stays on its plugin {PluginId} version: the newer version rejected its options: {Reason}")]
    private partial void LogUpgradeRejected(string webhookId, string pluginId, string reason);
}
