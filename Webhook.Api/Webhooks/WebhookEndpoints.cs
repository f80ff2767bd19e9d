using Microsoft.AspNetCore.Mvc;
using Webhook.Domain.Querying;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Webhooks;

/// <summary>The management API of SpaceONE's monitoring Webhook service (seeds/monitoring-v1-webhook.md).</summary>
internal static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring/v1").WithTags("Webhook").RejectUnknownQueryParameters().RequireCallerScope();
        group.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var read = group.MapGroup("").RequireScope(Scopes.WebhookRead);
        var write = group.MapGroup("").RequireScope(Scopes.WebhookWrite);

        write.MapPost("/webhooks", Create).WithName("CreateWebhook").WithSummary("Create a webhook bound to a plugin")
            .Validate<CreateWebhookRequest>().Produces<WebhookInfo>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        write.MapPut("/webhook/{webhook_id}", Update).WithName("UpdateWebhook").WithSummary("Rename a webhook or replace its tags")
            .Validate<UpdateWebhookRequest>().Produces<WebhookInfo>().ProducesProblem(StatusCodes.Status409Conflict);
        write.MapPut("/webhook/{webhook_id}/plugin", UpdatePlugin).WithName("UpdateWebhookPlugin")
            .WithSummary("Change the plugin version, options or upgrade mode (runs the plugin's init)")
            .Validate<UpdateWebhookPluginRequest>().Produces<WebhookInfo>().ProducesProblem(StatusCodes.Status502BadGateway);
        write.MapPost("/webhook/{webhook_id}/plugin/verify", VerifyPlugin).WithName("VerifyWebhookPlugin")
            .WithSummary("Ask the plugin to verify the stored options").Validate<WebhookRequest>()
            .ProducesProblem(StatusCodes.Status502BadGateway);
        write.MapPut("/webhook/{webhook_id}/enable", Enable).WithName("EnableWebhook").WithSummary("Enable a webhook")
            .Validate<WebhookRequest>().Produces<WebhookInfo>();
        write.MapPut("/webhook/{webhook_id}/disable", Disable).WithName("DisableWebhook")
            .WithSummary("Disable a webhook: its URL rejects events until enabled again")
            .Validate<WebhookRequest>().Produces<WebhookInfo>();
        write.MapPut("/webhook/{webhook_id}/heartbeat", SetHeartbeat).WithName("SetWebhookHeartbeat")
            .WithSummary("Raise an ALERT event when the webhook receives nothing for interval_seconds (0: off)")
            .Validate<SetHeartbeatRequest>().Produces<WebhookInfo>();
        write.MapPost("/webhook/{webhook_id}/access-key/rotate", RotateAccessKey).WithName("RotateWebhookAccessKey")
            .WithSummary("Give the webhook a new access key and URL; the current key keeps working for grace_seconds")
            .Validate<RotateAccessKeyRequest>().Produces<WebhookInfo>();
        write.MapDelete("/webhook/{webhook_id}", Delete).WithName("DeleteWebhook").WithSummary("Delete a webhook")
            .Validate<DeleteWebhookRequest>();
        read.MapGet("/webhook/{webhook_id}", Get).WithName("GetWebhook").WithSummary("Get one webhook")
            .Validate<GetWebhookRequest>().Produces<WebhookInfo>();
        read.MapGet("/webhooks", List).WithName("ListWebhooks").WithSummary("List webhooks matching plain fields")
            .Validate<ListWebhooksRequest>().Produces<WebhooksInfo>();
        read.MapPost("/webhooks/search", Search).WithName("SearchWebhooks")
            .WithSummary("List webhooks with the query language").Validate<WebhookQueryRequest>().Produces<WebhooksInfo>();
        read.MapPost("/webhooks/stat", Stat).WithName("StatWebhooks").WithSummary("Aggregate webhooks")
            .Validate<WebhookStatRequest>();

        return group;
    }

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> Create(
        CreateWebhookRequest request, Caller caller, WebhookChanges changes, HttpRequest http, CancellationToken cancellationToken) =>
        changes.CreateAsync(caller, request, http, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> Update(
        [FromRoute(Name = "webhook_id")] string webhookId, UpdateWebhookRequest request, Caller caller, WebhookChanges changes,
        CancellationToken cancellationToken) =>
        changes.UpdateAsync(caller, webhookId, request, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> UpdatePlugin(
        [FromRoute(Name = "webhook_id")] string webhookId, UpdateWebhookPluginRequest request, Caller caller, WebhookChanges changes,
        CancellationToken cancellationToken) =>
        changes.UpdatePluginAsync(caller, webhookId, request, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> VerifyPlugin(
        [FromRoute(Name = "webhook_id")] string webhookId, WebhookRequest request, Caller caller, WebhookChanges changes,
        CancellationToken cancellationToken) =>
        changes.VerifyPluginAsync(caller, webhookId, request, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> Enable(
        [FromRoute(Name = "webhook_id")] string webhookId, WebhookRequest request, Caller caller, WebhookChanges changes,
        CancellationToken cancellationToken) =>
        changes.ChangeStateAsync(caller, webhookId, request, WebhookState.ENABLED, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> Disable(
        [FromRoute(Name = "webhook_id")] string webhookId, WebhookRequest request, Caller caller, WebhookChanges changes,
        CancellationToken cancellationToken) =>
        changes.ChangeStateAsync(caller, webhookId, request, WebhookState.DISABLED, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> SetHeartbeat(
        [FromRoute(Name = "webhook_id")] string webhookId, SetHeartbeatRequest request, Caller caller, WebhookChanges changes,
        CancellationToken cancellationToken) =>
        changes.SetHeartbeatAsync(caller, webhookId, request, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> RotateAccessKey(
        [FromRoute(Name = "webhook_id")] string webhookId, RotateAccessKeyRequest request, Caller caller, WebhookChanges changes,
        CancellationToken cancellationToken) =>
        changes.RotateAccessKeyAsync(caller, webhookId, request, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> Delete(
        [AsParameters] DeleteWebhookRequest request, Caller caller, WebhookChanges changes, CancellationToken cancellationToken) =>
        changes.DeleteAsync(caller, request, cancellationToken);

    public static async Task<Results<RenderedJsonResult, ProblemHttpResult>> Get(
        [AsParameters] GetWebhookRequest request, Caller caller, WebhookReader reader, CancellationToken cancellationToken)
    {
        var webhook = await reader.RenderAsync(caller.Scope, request.WebhookId, request.Only, cancellationToken);
        return webhook is null ? Problems.NotFound("webhook_id", request.WebhookId) : webhook;
    }

    public static Task<RenderedJsonResult> List(
        [AsParameters] ListWebhooksRequest request, Caller caller, WebhookReader reader, CancellationToken cancellationToken) =>
        reader.SearchAsync(
            Scope(caller.Scope, request.WebhookId, request.Name, request.State, request.AccessKey, request.WebhookUrl, request.ProjectId),
            QueryParser.Parse(null),
            cancellationToken);

    public static Task<RenderedJsonResult> Search(
        WebhookQueryRequest request, Caller caller, WebhookReader reader, CancellationToken cancellationToken) =>
        reader.SearchAsync(
            Scope(caller.Scope, request.WebhookId, request.Name, request.State, request.AccessKey, request.WebhookUrl, request.ProjectId),
            QueryParser.Parse(request.Query),
            cancellationToken);

    public static async Task<Ok<JsonObject>> Stat(
        WebhookStatRequest request, Caller caller, WebhookReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.StatAsync(
            ScopeFilter.Within(caller.Scope),
            QueryParser.ParseStatistics(request.Query!.Value),
            cancellationToken));

    /// <summary>The caller's plain fields narrow its scope; the query can never widen it.</summary>
    private static List<ScopeFilter> Scope(
        AccessScope access, string? webhookId, string? name, WebhookStateFilter? state, string? accessKey, string? webhookUrl,
        string? projectId) =>
        ScopeFilter.Within(
            access,
            ("webhook_id", webhookId),
            ("name", name),
            ("state", state is null or WebhookStateFilter.NONE ? null : state.ToString()),
            ("access_key", accessKey),
            ("webhook_url", webhookUrl),
            ("project_id", projectId));
}
