using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Webhook.Domain.Webhooks;

namespace Webhook.Api.Webhooks;

/// <summary>Wire spelling of upgrade_mode in requests; NONE means "not given".</summary>
public enum UpgradeModeRequest
{
    NONE,
    MANUAL,
    AUTO,
}

/// <summary>Wire spelling of state in list filters; NONE means "any".</summary>
public enum WebhookStateFilter
{
    NONE,
    ENABLED,
    DISABLED,
}

public sealed record WebhookPluginInfoRequest(
    string? PluginId,
    string? Version,
    JsonElement? Options,
    [property: Description("Ignored on input: metadata is what the plugin's init returns.")] JsonElement? Metadata,
    UpgradeModeRequest? UpgradeMode);

public sealed record CreateWebhookRequest(
    string? Name,
    WebhookPluginInfoRequest? PluginInfo,
    JsonElement? Tags,
    string? ProjectId,
    string? DomainId) : IDomainRequest;

public sealed record UpdateWebhookRequest(string? WebhookId, string? Name, JsonElement? Tags, string? DomainId) : IDomainRequest;

public sealed record UpdateWebhookPluginRequest(
    string? WebhookId,
    string? Version,
    JsonElement? Options,
    UpgradeModeRequest? UpgradeMode,
    string? DomainId) : IDomainRequest;

public sealed record WebhookRequest(string? WebhookId, string? DomainId) : IDomainRequest;

public sealed record RotateAccessKeyRequest(
    string? WebhookId,
    [property: Description("Seconds the current key keeps working (0..604800, default 86400); 0 stops it at once.")] long? GraceSeconds,
    string? DomainId) : IDomainRequest;

public sealed record GetWebhookRequest(
    [property: FromRoute(Name = "webhook_id")] string WebhookId,
    [property: FromQuery(Name = "domain_id"), Description("The webhook's domain (tenant); optional with a token that names one.")] string? DomainId,
    [property: FromQuery(Name = "only"), Description("Fields to return; dotted paths allowed (plugin_info.plugin_id). Repeat the parameter for several.")] string[]? Only) : IDomainRequest;

public sealed record DeleteWebhookRequest(
    [property: FromRoute(Name = "webhook_id")] string WebhookId,
    [property: FromQuery(Name = "domain_id"), Description("The webhook's domain (tenant); optional with a token that names one.")] string? DomainId) : IDomainRequest;

/// <summary>GET /monitoring/v1/webhooks: the WebhookQuery's plain fields, each an exact match.</summary>
public sealed record ListWebhooksRequest(
    [property: FromQuery(Name = "domain_id"), Description("The domain (tenant); optional with a token that names one.")] string? DomainId,
    [property: FromQuery(Name = "webhook_id")] string? WebhookId,
    [property: FromQuery(Name = "name")] string? Name,
    [property: FromQuery(Name = "state"), Description("ENABLED or DISABLED (NONE: any).")] WebhookStateFilter? State,
    [property: FromQuery(Name = "access_key")] string? AccessKey,
    [property: FromQuery(Name = "webhook_url")] string? WebhookUrl,
    [property: FromQuery(Name = "project_id")] string? ProjectId) : IDomainRequest;

/// <summary>POST /monitoring/v1/webhooks/search: the whole WebhookQuery.</summary>
public sealed record WebhookQueryRequest(
    [property: Description("SpaceONE Query: filter, filter_or, sort, page, only, minimal, count_only, keyword. See the README's query language section.")]
    JsonElement? Query,
    string? WebhookId,
    string? Name,
    WebhookStateFilter? State,
    string? AccessKey,
    string? WebhookUrl,
    string? ProjectId,
    string? DomainId) : IDomainRequest;

public sealed record WebhookStatRequest(
    [property: Description("SpaceONE StatisticsQuery: filter, filter_or, keyword, aggregate stages, page, distinct.")]
    JsonElement? Query,
    string? DomainId) : IDomainRequest;

/// <summary>The seed's WebhookInfo, for the API document; responses are built from the stored row.</summary>
public sealed record WebhookInfo(
    string WebhookId,
    string Name,
    WebhookState State,
    string AccessKey,
    string WebhookUrl,
    JsonObject Capability,
    WebhookPluginInfo PluginInfo,
    WebhookRequests Requests,
    WebhookHeartbeat Heartbeat,
    JsonObject Tags,
    string ProjectId,
    string DomainId,
    [property: Description("ISO 8601 UTC with milliseconds, e.g. 2024-01-01T10:00:00.000Z")] string CreatedAt);

public sealed record WebhookPluginInfo(string PluginId, string Version, JsonObject Options, JsonObject Metadata, UpgradeMode UpgradeMode);

public sealed record WebhookRequests(long Total, long Error);

public sealed record WebhookHeartbeat(
    [property: Description("0: no heartbeat; else silence this long raises an ALERT event.")] int IntervalSeconds,
    [property: Description("When the latest accepted request was received (ISO 8601 UTC with milliseconds), or null.")] string? LastRequestAt,
    [property: Description("OK, or SILENT from the ALERT until the next accepted request (the RECOVERY).")] HeartbeatState State);

/// <summary>PUT /monitoring/v1/webhook/{webhook_id}/heartbeat.</summary>
public sealed record SetHeartbeatRequest(
    string? WebhookId,
    string? DomainId,
    [property: Description("10..86400 seconds of silence before an ALERT; 0 turns the heartbeat off.")] int? IntervalSeconds) : IDomainRequest;

public sealed record WebhooksInfo(IReadOnlyList<WebhookInfo> Results, long TotalCount);
