using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhook.Api.Common;
using Webhook.Domain.Plugins;
using Webhook.Domain.Querying;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure;
using Webhook.Infrastructure.Querying;
using DomainWebhook = Webhook.Domain.Webhooks.Webhook;

namespace Webhook.Api.Webhooks;

/// <summary>The management API of SpaceONE's monitoring Webhook service (seeds/monitoring-v1-webhook.md).</summary>
internal static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring/v1").WithTags("Webhook").RejectUnknownQueryParameters();

        group.MapPost("/webhooks", Create).WithName("CreateWebhook").WithSummary("Create a webhook bound to a plugin")
            .Validate<CreateWebhookRequest>().Produces<WebhookInfo>();
        group.MapPut("/webhook/{webhook_id}", Update).WithName("UpdateWebhook").WithSummary("Rename a webhook or replace its tags")
            .Validate<UpdateWebhookRequest>().Produces<WebhookInfo>();
        group.MapPut("/webhook/{webhook_id}/plugin", UpdatePlugin).WithName("UpdateWebhookPlugin")
            .WithSummary("Change the plugin version, options or upgrade mode (runs the plugin's init)")
            .Validate<UpdateWebhookPluginRequest>().Produces<WebhookInfo>();
        group.MapPost("/webhook/{webhook_id}/plugin/verify", VerifyPlugin).WithName("VerifyWebhookPlugin")
            .WithSummary("Ask the plugin to verify the stored options").Validate<WebhookRequest>();
        group.MapPut("/webhook/{webhook_id}/enable", Enable).WithName("EnableWebhook").WithSummary("Enable a webhook")
            .Validate<WebhookRequest>().Produces<WebhookInfo>();
        group.MapPut("/webhook/{webhook_id}/disable", Disable).WithName("DisableWebhook")
            .WithSummary("Disable a webhook: its URL rejects events until enabled again")
            .Validate<WebhookRequest>().Produces<WebhookInfo>();
        group.MapDelete("/webhook/{webhook_id}", Delete).WithName("DeleteWebhook").WithSummary("Delete a webhook")
            .Validate<DeleteWebhookRequest>();
        group.MapGet("/webhook/{webhook_id}", Get).WithName("GetWebhook").WithSummary("Get one webhook")
            .Validate<GetWebhookRequest>().Produces<WebhookInfo>();
        group.MapGet("/webhooks", List).WithName("ListWebhooks").WithSummary("List webhooks matching plain fields")
            .Validate<ListWebhooksRequest>().Produces<WebhooksInfo>();
        group.MapPost("/webhooks/search", Search).WithName("SearchWebhooks")
            .WithSummary("List webhooks with the query language").Validate<WebhookQueryRequest>().Produces<WebhooksInfo>();
        group.MapPost("/webhooks/stat", Stat).WithName("StatWebhooks").WithSummary("Aggregate webhooks")
            .Validate<WebhookStatRequest>();

        return group;
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Create(
        CreateWebhookRequest request,
        WebhookDbContext db,
        PluginBinder binder,
        IIdGenerator ids,
        TimeProvider clock,
        IOptions<WebhookOptions> options,
        WebhookReader reader,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var plugin = request.PluginInfo!;
        if (await NameTakenAsync(db, request.DomainId!, request.ProjectId!, request.Name!, cancellationToken))
        {
            return NameTaken();
        }

        var (binding, capability) = await binder.BindNewAsync(
            plugin.PluginId!,
            plugin.Version,
            plugin.Options?.Clone() ?? Json.EmptyObject,
            ToDomain(plugin.UpgradeMode) ?? UpgradeMode.AUTO,
            cancellationToken);
        var webhook = DomainWebhook.Create(
            ids.NewWebhookId(),
            ids.NewAccessKey(),
            request.Name!,
            request.ProjectId!,
            request.DomainId!,
            request.Tags?.Clone() ?? Json.EmptyObject,
            binding,
            capability,
            PublicBaseUrl(options.Value, http.Request),
            clock.GetUtcNow());
        db.Webhooks.Add(webhook);
        return await SaveAndReadAsync(db, reader, webhook, cancellationToken);
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Update(
        [FromRoute(Name = "webhook_id")] string webhookId,
        UpdateWebhookRequest request,
        WebhookDbContext db,
        WebhookReader reader,
        CancellationToken cancellationToken)
    {
        var (webhook, problem) = await FindForChangeAsync(db, webhookId, request.WebhookId, request.DomainId!, cancellationToken);
        if (webhook is null)
        {
            return problem!;
        }

        if (request.Name is not null && request.Name != webhook.Name)
        {
            if (await NameTakenAsync(db, webhook.DomainId, webhook.ProjectId, request.Name, cancellationToken))
            {
                return NameTaken();
            }

            webhook.Rename(request.Name);
        }

        if (request.Tags is { } tags)
        {
            webhook.ReplaceTags(tags.Clone());
        }

        return await SaveAndReadAsync(db, reader, webhook, cancellationToken);
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> UpdatePlugin(
        [FromRoute(Name = "webhook_id")] string webhookId,
        UpdateWebhookPluginRequest request,
        WebhookDbContext db,
        PluginBinder binder,
        WebhookReader reader,
        CancellationToken cancellationToken)
    {
        var (webhook, problem) = await FindForChangeAsync(db, webhookId, request.WebhookId, request.DomainId!, cancellationToken);
        if (webhook is null)
        {
            return problem!;
        }

        var binding = await binder.RebindAsync(
            webhook.Plugin, request.Version, request.Options?.Clone(), ToDomain(request.UpgradeMode), cancellationToken);
        webhook.BindPlugin(binding);
        return await SaveAndReadAsync(db, reader, webhook, cancellationToken);
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> VerifyPlugin(
        [FromRoute(Name = "webhook_id")] string webhookId,
        WebhookRequest request,
        WebhookDbContext db,
        PluginBinder binder,
        CancellationToken cancellationToken)
    {
        var (webhook, problem) = await FindForChangeAsync(db, webhookId, request.WebhookId, request.DomainId!, cancellationToken);
        if (webhook is null)
        {
            return problem!;
        }

        if (await binder.UpgradeIfDueAsync(webhook.Plugin, cancellationToken) is { } upgraded)
        {
            webhook.BindPlugin(upgraded);
            await db.SaveChangesAsync(cancellationToken);
        }

        await binder.VerifyAsync(webhook.Plugin, cancellationToken);
        return TypedResults.Ok(new JsonObject());
    }

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> Enable(
        [FromRoute(Name = "webhook_id")] string webhookId, WebhookRequest request, WebhookDbContext db, WebhookReader reader,
        CancellationToken cancellationToken) =>
        SetStateAsync(webhookId, request, WebhookState.ENABLED, db, reader, cancellationToken);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> Disable(
        [FromRoute(Name = "webhook_id")] string webhookId, WebhookRequest request, WebhookDbContext db, WebhookReader reader,
        CancellationToken cancellationToken) =>
        SetStateAsync(webhookId, request, WebhookState.DISABLED, db, reader, cancellationToken);

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Delete(
        [AsParameters] DeleteWebhookRequest request, WebhookDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.Webhooks
            .Where(w => w.DomainId == request.DomainId && w.WebhookId == request.WebhookId)
            .ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? WebhookNotFound(request.WebhookId) : TypedResults.Ok(new JsonObject());
    }

    public static async Task<Results<RenderedJsonResult, ProblemHttpResult>> Get(
        [AsParameters] GetWebhookRequest request, WebhookReader reader, CancellationToken cancellationToken)
    {
        var webhook = await reader.RenderAsync(request.DomainId!, request.WebhookId, request.Only, cancellationToken);
        return webhook is null ? WebhookNotFound(request.WebhookId) : webhook;
    }

    public static Task<RenderedJsonResult> List(
        [AsParameters] ListWebhooksRequest request, WebhookReader reader, CancellationToken cancellationToken) =>
        reader.SearchAsync(
            Scope(request.DomainId!, request.WebhookId, request.Name, request.State, request.AccessKey, request.WebhookUrl, request.ProjectId),
            QueryParser.Parse(null),
            cancellationToken);

    public static Task<RenderedJsonResult> Search(
        WebhookQueryRequest request, WebhookReader reader, CancellationToken cancellationToken) =>
        reader.SearchAsync(
            Scope(request.DomainId!, request.WebhookId, request.Name, request.State, request.AccessKey, request.WebhookUrl, request.ProjectId),
            QueryParser.Parse(request.Query),
            cancellationToken);

    public static async Task<Ok<JsonObject>> Stat(
        WebhookStatRequest request, WebhookReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.StatAsync(
            ScopeFilter.Within(request.DomainId!),
            QueryParser.ParseStatistics(request.Query!.Value),
            cancellationToken));

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> SetStateAsync(
        string webhookId, WebhookRequest request, WebhookState state, WebhookDbContext db, WebhookReader reader,
        CancellationToken cancellationToken)
    {
        if (Problems.BodyNamesOther("webhook_id", webhookId, request.WebhookId) is { } mismatch)
        {
            return mismatch;
        }

        var changed = await db.Webhooks
            .Where(w => w.DomainId == request.DomainId && w.WebhookId == webhookId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.State, state), cancellationToken);
        if (changed == 0)
        {
            return WebhookNotFound(webhookId);
        }

        var webhook = await reader.GetAsync(request.DomainId!, webhookId, null, cancellationToken);
        return webhook is null ? WebhookNotFound(webhookId) : TypedResults.Ok(webhook);
    }

    /// <summary>The caller's plain fields narrow the domain scope; the query can never widen it.</summary>
    private static List<ScopeFilter> Scope(
        string domainId, string? webhookId, string? name, WebhookStateFilter? state, string? accessKey, string? webhookUrl,
        string? projectId) =>
        ScopeFilter.Within(
            domainId,
            ("webhook_id", webhookId),
            ("name", name),
            ("state", state is null or WebhookStateFilter.NONE ? null : state.ToString()),
            ("access_key", accessKey),
            ("webhook_url", webhookUrl),
            ("project_id", projectId));

    /// <summary>
    /// The tracked webhook a change names, or why there is none: 400 when the body names another webhook than the
    /// path, 404 when the caller's domain has no such webhook.
    /// </summary>
    private static async Task<(DomainWebhook? Webhook, ProblemHttpResult? Problem)> FindForChangeAsync(
        WebhookDbContext db, string pathId, string? bodyId, string domainId, CancellationToken cancellationToken)
    {
        if (Problems.BodyNamesOther("webhook_id", pathId, bodyId) is { } mismatch)
        {
            return (null, mismatch);
        }

        var webhook = await db.Webhooks.SingleOrDefaultAsync(
            w => w.DomainId == domainId && w.WebhookId == pathId, cancellationToken);
        return webhook is null ? (null, WebhookNotFound(pathId)) : (webhook, null);
    }

    /// <summary>Every change answers with the stored webhook, rendered exactly as get renders it.</summary>
    private static async Task<Ok<JsonObject>> SaveAndReadAsync(
        WebhookDbContext db, WebhookReader reader, DomainWebhook webhook, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok((await reader.GetAsync(webhook.DomainId, webhook.WebhookId, null, cancellationToken))!);
    }

    private static Task<bool> NameTakenAsync(
        WebhookDbContext db, string domainId, string projectId, string name, CancellationToken cancellationToken) =>
        db.Webhooks.AnyAsync(w => w.DomainId == domainId && w.ProjectId == projectId && w.Name == name, cancellationToken);

    private static ProblemHttpResult WebhookNotFound(string webhookId) => Problems.NotFound("webhook_id", webhookId);

    private static ProblemHttpResult NameTaken() =>
        Problems.Result(Problems.ForKey(ErrorCodes.NotUnique, "name", "A webhook with this name already exists in the project."));

    private static UpgradeMode? ToDomain(UpgradeModeRequest? mode) => mode switch
    {
        UpgradeModeRequest.AUTO => UpgradeMode.AUTO,
        UpgradeModeRequest.MANUAL => UpgradeMode.MANUAL,
        _ => null,
    };

    private static string PublicBaseUrl(WebhookOptions options, HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : options.PublicBaseUrl;
}
