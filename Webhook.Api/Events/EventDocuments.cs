using Webhook.Domain.Events;
using Webhook.Domain.Querying;

namespace Webhook.Api.Events;

/// <summary>An event not read from the table (a replay's answer) in the same shape the events API renders.</summary>
internal static class EventDocuments
{
    public static JsonObject Render(Event e) => new()
    {
        ["event_id"] = e.EventId,
        ["event_key"] = e.EventKey,
        ["event_type"] = e.EventType,
        ["title"] = e.Title,
        ["description"] = e.Description,
        ["severity"] = e.Severity,
        ["resource"] = JsonNode.Parse(e.Resource.GetRawText()),
        ["rule"] = e.Rule,
        ["occurred_at"] = e.OccurredAt is { } at ? IsoInstant.Format(at) : null,
        ["additional_info"] = JsonNode.Parse(e.AdditionalInfo.GetRawText()),
        ["image_url"] = e.ImageUrl,
        ["provider"] = e.Provider,
        ["account"] = e.Account,
        ["webhook_id"] = e.WebhookId,
        ["project_id"] = e.ProjectId,
        ["domain_id"] = e.DomainId,
        ["raw_data"] = e.RawData is { } raw ? JsonNode.Parse(raw.GetRawText()) : null,
        ["created_at"] = IsoInstant.Format(e.CreatedAt),
    };
}
