using System.Diagnostics;
using Webhook.Domain.Events;
using Webhook.Domain.Plugins;
using Webhook.Infrastructure;

namespace Webhook.Api.Events;

/// <summary>
/// Parses a payload the caller gives with a webhook's plugin, exactly as the background worker would parse it if a
/// sender had posted it, and stores nothing: no request, no event, no count. The stored plugin version and options
/// are used as they are (an AUTO upgrade would be a change, and a test changes nothing); a disabled webhook can be
/// tested too, so a sender can be set up before the webhook is switched on.
/// </summary>
internal sealed class WebhookTester(WebhookDbContext db, EventParser parser)
{
    /// <returns>The events that would be stored (the one ERROR event when the plugin rejects the payload); null when
    /// the webhook is not in the caller's domain and projects.</returns>
    public async Task<IReadOnlyList<Event>?> TestAsync(
        Caller caller, string webhookId, JsonElement data, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.AsNoTracking().Within(caller.Scope)
            .SingleOrDefaultAsync(w => w.WebhookId == webhookId, cancellationToken);
        if (webhook is null)
        {
            return null;
        }

        var source = new EventSource(null, webhook.WebhookId, webhook.Name, webhook.ProjectId, webhook.DomainId);
        return await parser.ParseAsync(source, webhook.Plugin, data, cancellationToken) switch
        {
            ParseOutcome.Parsed parsed => parsed.Events,
            ParseOutcome.Retry retry => throw new PluginUnavailableException(retry.Reason),
            _ => throw new UnreachableException(),
        };
    }
}
