using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Webhook.Api.Events;

public sealed record GetEventRequest(
    [property: FromRoute(Name = "event_id")] string EventId,
    [property: FromQuery(Name = "domain_id"), Description("The event's domain (tenant); optional with a token that names one.")] string? DomainId,
    [property: FromQuery(Name = "only"), Description("Fields to return; dotted paths allowed (resource.name). Repeat the parameter for several.")] string[]? Only) : IDomainRequest;

/// <summary>GET /monitoring/v1/events: the EventQuery's plain fields, each an exact match.</summary>
public sealed record ListEventsRequest(
    [property: FromQuery(Name = "domain_id"), Description("The domain (tenant); optional with a token that names one.")] string? DomainId,
    [property: FromQuery(Name = "event_id")] string? EventId,
    [property: FromQuery(Name = "event_key")] string? EventKey,
    [property: FromQuery(Name = "event_type"), Description("ALERT, RECOVERY or ERROR.")] string? EventType,
    [property: FromQuery(Name = "severity"), Description("CRITICAL, ERROR, WARNING, INFO, NOT_AVAILABLE or NONE.")] string? Severity,
    [property: FromQuery(Name = "webhook_id")] string? WebhookId,
    [property: FromQuery(Name = "project_id")] string? ProjectId) : IDomainRequest;

/// <summary>POST /monitoring/v1/events/search: the whole EventQuery.</summary>
public sealed record EventQueryRequest(
    [property: Description("SpaceONE Query: filter, filter_or, sort, page, only, minimal, count_only, keyword. No sort: newest first.")]
    JsonElement? Query,
    string? EventId,
    string? EventKey,
    string? EventType,
    string? Severity,
    string? WebhookId,
    string? ProjectId,
    string? DomainId) : IDomainRequest;

public sealed record EventStatRequest(
    [property: Description("SpaceONE StatisticsQuery: filter, filter_or, keyword, aggregate stages, page, distinct.")]
    JsonElement? Query,
    string? DomainId) : IDomainRequest;

/// <summary>POST /monitoring/v1/webhook/{webhook_id}/events/replay.</summary>
public sealed record ReplayEventsRequest(
    string? WebhookId,
    string? DomainId,
    [property: Description("ISO 8601; only requests received at or after it.")] string? Start,
    [property: Description("ISO 8601; only requests received before it.")] string? End,
    [property: Description("true: answer the events a replay would make and store nothing.")] bool? DryRun) : IDomainRequest;

/// <summary>POST /monitoring/v1/webhook/{webhook_id}/test.</summary>
public sealed record TestWebhookRequest(
    string? WebhookId,
    string? DomainId,
    [property: Description("Any JSON payload, as the sender would post it (e.g. an Alertmanager notification).")] JsonElement? Data) : IDomainRequest;

/// <summary>The seed's EventInfo, for the API document; responses are built from the stored row.</summary>
public sealed record EventInfoResponse(
    string EventId,
    string EventKey,
    [property: Description("ALERT, RECOVERY or ERROR")] string EventType,
    string Title,
    string Description,
    [property: Description("CRITICAL, ERROR, WARNING, INFO, NOT_AVAILABLE or NONE")] string Severity,
    JsonObject Resource,
    string Rule,
    [property: Description("ISO 8601 UTC with milliseconds, or null")] string? OccurredAt,
    JsonObject AdditionalInfo,
    string ImageUrl,
    string Provider,
    string Account,
    string WebhookId,
    string ProjectId,
    string DomainId,
    [property: Description("The payload the event came from.")] JsonNode? RawData,
    [property: Description("ISO 8601 UTC with milliseconds")] string CreatedAt);

public sealed record EventsInfo(IReadOnlyList<EventInfoResponse> Results, long TotalCount);
