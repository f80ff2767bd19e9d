using Microsoft.AspNetCore.Mvc;
using Webhook.Domain.Events;
using Webhook.Domain.Querying;
using Webhook.Infrastructure.Events;
using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Events;

/// <summary>Reading events (always within one domain) and replaying a webhook's stored requests.</summary>
internal static class EventEndpoints
{
    public static RouteGroupBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring/v1").WithTags("Event").RejectUnknownQueryParameters().RequireCallerScope();
        group.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var read = group.MapGroup("").RequireScope(Scopes.EventRead);
        var write = group.MapGroup("").RequireScope(Scopes.WebhookWrite);

        read.MapGet("/event/{event_id}", Get).WithName("GetEvent").WithSummary("Get one event")
            .Validate<GetEventRequest>().Produces<EventInfoResponse>();
        read.MapGet("/events", List).WithName("ListEvents").WithSummary("List events matching plain fields, newest first")
            .Validate<ListEventsRequest>().Produces<EventsInfo>();
        read.MapPost("/events/search", Search).WithName("SearchEvents").WithSummary("List events with the query language")
            .Validate<EventQueryRequest>().Produces<EventsInfo>();
        read.MapPost("/events/stat", Stat).WithName("StatEvents").WithSummary("Aggregate events")
            .Validate<EventStatRequest>();
        write.MapPost("/webhook/{webhook_id}/events/replay", Replay).WithName("ReplayEvents")
            .WithSummary("Parse a webhook's stored requests again with its current plugin (dry_run: only show the events)")
            .Validate<ReplayEventsRequest>().Produces<EventsInfo>().ProducesProblem(StatusCodes.Status502BadGateway);
        write.MapPost("/webhook/{webhook_id}/test", Test).WithName("TestWebhook")
            .WithSummary("Parse a payload with the webhook's plugin and answer the events it would make; stores nothing")
            .Validate<TestWebhookRequest>().Produces<EventsInfo>().ProducesProblem(StatusCodes.Status502BadGateway);

        return group;
    }

    public static async Task<Results<RenderedJsonResult, ProblemHttpResult>> Get(
        [AsParameters] GetEventRequest request, Caller caller, EventReader reader, CancellationToken cancellationToken)
    {
        var found = await reader.RenderAsync(caller.Scope, request.EventId, request.Only, cancellationToken);
        return found is null ? Problems.NotFound("event_id", request.EventId) : found;
    }

    public static Task<RenderedJsonResult> List(
        [AsParameters] ListEventsRequest request, Caller caller, EventReader reader, CancellationToken cancellationToken) =>
        reader.SearchAsync(
            Scope(caller.Scope, request.EventId, request.EventKey, request.EventType, request.Severity, request.WebhookId, request.ProjectId),
            QueryParser.Parse(null),
            cancellationToken);

    public static Task<RenderedJsonResult> Search(
        EventQueryRequest request, Caller caller, EventReader reader, CancellationToken cancellationToken) =>
        reader.SearchAsync(
            Scope(caller.Scope, request.EventId, request.EventKey, request.EventType, request.Severity, request.WebhookId, request.ProjectId),
            QueryParser.Parse(request.Query),
            cancellationToken);

    public static async Task<Ok<JsonObject>> Stat(
        EventStatRequest request, Caller caller, EventReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.StatAsync(
            ScopeFilter.Within(caller.Scope),
            QueryParser.ParseStatistics(request.Query!.Value),
            cancellationToken));

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Replay(
        [FromRoute(Name = "webhook_id")] string webhookId,
        ReplayEventsRequest request,
        Caller caller,
        EventReplayer replayer,
        CancellationToken cancellationToken)
    {
        if (Problems.BodyNamesOther("webhook_id", webhookId, request.WebhookId) is { } mismatch)
        {
            return mismatch;
        }

        var result = await replayer.ReplayAsync(
            caller,
            webhookId,
            ReplayTimes.Parse(request.Start),
            ReplayTimes.Parse(request.End),
            request.DryRun ?? false,
            cancellationToken);
        if (result is null)
        {
            return Problems.NotFound("webhook_id", webhookId);
        }

        return TypedResults.Ok(EventsPage(result.Events));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Test(
        [FromRoute(Name = "webhook_id")] string webhookId,
        TestWebhookRequest request,
        Caller caller,
        WebhookTester tester,
        CancellationToken cancellationToken)
    {
        if (Problems.BodyNamesOther("webhook_id", webhookId, request.WebhookId) is { } mismatch)
        {
            return mismatch;
        }

        var events = await tester.TestAsync(caller, webhookId, request.Data!.Value, cancellationToken);
        return events is null ? Problems.NotFound("webhook_id", webhookId) : TypedResults.Ok(EventsPage(events));
    }

    /// <summary>Events made but not read from the table (replay, test), in the shape a search answers.</summary>
    private static JsonObject EventsPage(IReadOnlyList<Event> events) => new()
    {
        ["results"] = new JsonArray([.. events.Select(EventDocuments.Render)]),
        ["total_count"] = events.Count,
    };

    /// <summary>The caller's plain fields narrow its scope; the query can never widen it.</summary>
    private static List<ScopeFilter> Scope(
        AccessScope access, string? eventId, string? eventKey, string? eventType, string? severity, string? webhookId, string? projectId) =>
        ScopeFilter.Within(
            access,
            ("event_id", eventId),
            ("event_key", eventKey),
            ("event_type", eventType),
            ("severity", severity),
            ("webhook_id", webhookId),
            ("project_id", projectId));
}
