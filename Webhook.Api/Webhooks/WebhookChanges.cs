using Webhook.Api.Audit;
using Microsoft.Extensions.Options;
using Webhook.Domain.Plugins;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure;
using DomainWebhook = Webhook.Domain.Webhooks.Webhook;

namespace Webhook.Api.Webhooks;

/// <summary>
/// The use cases that change a webhook: load it (always inside the caller's domain), let the entity and the plugin
/// binder decide, save through EF, and answer with the stored webhook rendered exactly as get renders it.
/// </summary>
internal sealed class WebhookChanges(
    WebhookDbContext db,
    PluginBinder binder,
    IIdGenerator ids,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    WebhookReader reader,
    AuditLog audit)
{
    public async Task<Results<Ok<JsonObject>, ProblemHttpResult>> CreateAsync(
        Caller caller, CreateWebhookRequest request, HttpRequest http, CancellationToken cancellationToken)
    {
        var plugin = request.PluginInfo!;
        var domainId = caller.Scope.DomainId;
        if (!caller.Scope.Covers(request.ProjectId!))
        {
            return Problems.Result(Problems.ForKey(
                ErrorCodes.PermissionDenied, "project_id", "The token does not cover this project."));
        }

        if (await NameTakenAsync(domainId, request.ProjectId!, request.Name!, cancellationToken))
        {
            return Problems.Result(UniqueViolations.NameTaken);
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
            domainId,
            request.Tags?.Clone() ?? Json.EmptyObject,
            binding,
            capability,
            PublicBaseUrl(http),
            clock.GetUtcNow());
        db.Webhooks.Add(webhook);
        audit.Record(caller, "create", webhook, new JsonObject
        {
            ["name"] = webhook.Name,
            ["project_id"] = webhook.ProjectId,
            ["tags"] = JsonNode.Parse(webhook.Tags.GetRawText()),
            ["plugin_info.plugin_id"] = webhook.PluginId,
            ["plugin_info.version"] = webhook.PluginVersion,
            ["plugin_info.upgrade_mode"] = webhook.UpgradeMode.ToString(),
        });
        return await SaveAndReadAsync(caller, webhook, cancellationToken);
    }

    public Task<Results<Ok<JsonObject>, ProblemHttpResult>> UpdateAsync(
        Caller caller, string webhookId, UpdateWebhookRequest request, CancellationToken cancellationToken) =>
        ChangeAsync(caller, webhookId, request.WebhookId, "update", async webhook =>
        {
            var changes = new JsonObject();
            if (request.Name is not null)
            {
                if (request.Name != webhook.Name && await NameTakenAsync(webhook.DomainId, webhook.ProjectId, request.Name, cancellationToken))
                {
                    return Refused(Problems.Result(UniqueViolations.NameTaken));
                }

                webhook.Rename(request.Name);
                changes["name"] = webhook.Name;
            }

            if (request.Tags is { } tags)
            {
                webhook.ReplaceTags(tags.Clone());
                changes["tags"] = JsonNode.Parse(webhook.Tags.GetRawText());
            }

            return changes;
        }, cancellationToken);

    public Task<Results<Ok<JsonObject>, ProblemHttpResult>> UpdatePluginAsync(
        Caller caller, string webhookId, UpdateWebhookPluginRequest request, CancellationToken cancellationToken) =>
        ChangeAsync(caller, webhookId, request.WebhookId, "update_plugin", async webhook =>
        {
            var binding = await binder.RebindAsync(
                webhook.Plugin, request.Version, request.Options?.Clone(), ToDomain(request.UpgradeMode), cancellationToken);
            webhook.BindPlugin(binding);
            var changes = new JsonObject
            {
                ["plugin_info.version"] = webhook.PluginVersion,
                ["plugin_info.upgrade_mode"] = webhook.UpgradeMode.ToString(),
            };
            if (request.Options is not null)
            {
                changes["plugin_info.options"] = AuditLog.OptionsWithheld;
            }

            return changes;
        }, cancellationToken);

    public async Task<Results<Ok<JsonObject>, ProblemHttpResult>> VerifyPluginAsync(
        Caller caller, string webhookId, WebhookRequest request, CancellationToken cancellationToken)
    {
        var (webhook, problem) = await FindForChangeAsync(caller.Scope, webhookId, request.WebhookId, cancellationToken);
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

    /// <summary>
    /// enable and disable: the entity flips its state (enabling restarts the heartbeat's silence clock; disabling
    /// ends a silence quietly); EF writes only what changed.
    /// </summary>
    public Task<Results<Ok<JsonObject>, ProblemHttpResult>> ChangeStateAsync(
        Caller caller, string webhookId, WebhookRequest request, WebhookState state, CancellationToken cancellationToken) =>
        ChangeAsync(caller, webhookId, request.WebhookId, state == WebhookState.ENABLED ? "enable" : "disable", webhook =>
        {
            if (state == WebhookState.ENABLED)
            {
                webhook.Enable(clock.GetUtcNow());
            }
            else
            {
                webhook.Disable();
                EndSilence(webhook);
            }

            return new JsonObject { ["state"] = webhook.State.ToString() };
        }, cancellationToken);

    /// <summary>Sets (or with 0 stops) the webhook's heartbeat: silence this long raises an ALERT event.</summary>
    public Task<Results<Ok<JsonObject>, ProblemHttpResult>> SetHeartbeatAsync(
        Caller caller, string webhookId, SetHeartbeatRequest request, CancellationToken cancellationToken) =>
        ChangeAsync(caller, webhookId, request.WebhookId, "heartbeat", webhook =>
        {
            webhook.SetHeartbeat(request.IntervalSeconds!.Value, clock.GetUtcNow());
            if (webhook.HeartbeatIntervalSeconds == 0)
            {
                EndSilence(webhook);
            }

            return new JsonObject { ["heartbeat.interval_seconds"] = webhook.HeartbeatIntervalSeconds };
        }, cancellationToken);

    /// <summary>A new key and URL; the current key keeps working until its grace ends (DESIGN.md "Senders").</summary>
    public Task<Results<Ok<JsonObject>, ProblemHttpResult>> RotateAccessKeyAsync(
        Caller caller, string webhookId, RotateAccessKeyRequest request, CancellationToken cancellationToken) =>
        ChangeAsync(caller, webhookId, request.WebhookId, "rotate_access_key", webhook =>
        {
            var grace = request.GraceSeconds ?? DefaultKeyGraceSeconds;
            webhook.RotateAccessKey(ids.NewAccessKey(), clock.GetUtcNow(), TimeSpan.FromSeconds(grace));
            return new JsonObject { ["grace_seconds"] = grace };
        }, cancellationToken);

    public async Task<Results<Ok<JsonObject>, ProblemHttpResult>> DeleteAsync(
        Caller caller, DeleteWebhookRequest request, CancellationToken cancellationToken)
    {
        // Loaded, not deleted by one statement, so the delete and its audit entry commit together.
        var webhook = await db.Webhooks.Within(caller.Scope)
            .SingleOrDefaultAsync(w => w.WebhookId == request.WebhookId, cancellationToken);
        if (webhook is null)
        {
            return WebhookNotFound(request.WebhookId);
        }

        db.Webhooks.Remove(webhook);
        audit.Record(caller, "delete", webhook);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new JsonObject());
    }

    /// <summary>
    /// The tracked webhook a change names, or why there is none: 400 when the body names another webhook than the
    /// path, 404 when the caller's domain and projects hold no such webhook.
    /// </summary>
    private async Task<(DomainWebhook? Webhook, ProblemHttpResult? Problem)> FindForChangeAsync(
        AccessScope access, string pathId, string? bodyId, CancellationToken cancellationToken)
    {
        if (Problems.BodyNamesOther("webhook_id", pathId, bodyId) is { } mismatch)
        {
            return (null, mismatch);
        }

        var webhook = await db.Webhooks.Within(access).SingleOrDefaultAsync(w => w.WebhookId == pathId, cancellationToken);
        return webhook is null ? (null, WebhookNotFound(pathId)) : (webhook, null);
    }

    /// <summary>What a change did, for the audit log, or why it was refused (then nothing is saved).</summary>
    private readonly record struct Outcome(JsonObject? Changes, ProblemHttpResult? Problem)
    {
        public static implicit operator Outcome(JsonObject changes) => new(changes, null);
    }

    private static Outcome Refused(ProblemHttpResult problem) => new(null, problem);

    /// <summary>A change that cannot be refused once the webhook is found: it answers what it changed.</summary>
    private Task<Results<Ok<JsonObject>, ProblemHttpResult>> ChangeAsync(
        Caller caller, string webhookId, string? bodyWebhookId, string action, Func<DomainWebhook, JsonObject> change,
        CancellationToken cancellationToken) =>
        ChangeAsync(caller, webhookId, bodyWebhookId, action, webhook => Task.FromResult<Outcome>(change(webhook)), cancellationToken);

    /// <summary>
    /// Every change of one webhook: find it in the caller's domain and projects (or answer why not), apply the
    /// change, record it in the audit log, save both in one transaction and answer the stored webhook.
    /// </summary>
    private async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ChangeAsync(
        Caller caller, string webhookId, string? bodyWebhookId, string action, Func<DomainWebhook, Task<Outcome>> change,
        CancellationToken cancellationToken)
    {
        var (webhook, problem) = await FindForChangeAsync(caller.Scope, webhookId, bodyWebhookId, cancellationToken);
        if (webhook is null)
        {
            return problem!;
        }

        var outcome = await change(webhook);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        audit.Record(caller, action, webhook, outcome.Changes);
        return await SaveAndReadAsync(caller, webhook, cancellationToken);
    }

    /// <summary>Every change answers with the stored webhook, rendered exactly as get renders it.</summary>
    private async Task<Results<Ok<JsonObject>, ProblemHttpResult>> SaveAndReadAsync(
        Caller caller, DomainWebhook webhook, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        var stored = await reader.GetAsync(caller.Scope, webhook.WebhookId, null, cancellationToken);
        // A delete that lands between the save and the read leaves nothing to show.
        return stored is null ? WebhookNotFound(webhook.WebhookId) : TypedResults.Ok(stored);
    }

    /// <summary>Checked before the plugin's init so a request bound to fail makes no plugin call; the unique index
    /// still decides a concurrent race (<see cref="UniqueViolations"/>).</summary>
    private Task<bool> NameTakenAsync(string domainId, string projectId, string name, CancellationToken cancellationToken) =>
        db.Webhooks.AnyAsync(w => w.DomainId == domainId && w.ProjectId == projectId && w.Name == name, cancellationToken);

    /// <summary>
    /// The heartbeat job may mark the webhook SILENT between our read and our save; ending the silence must win, so
    /// the state is written even when EF saw it unchanged.
    /// </summary>
    private void EndSilence(DomainWebhook webhook) => db.Entry(webhook).Property(w => w.HeartbeatState).IsModified = true;

    private const long DefaultKeyGraceSeconds = 86400;

    private static ProblemHttpResult WebhookNotFound(string webhookId) => Problems.NotFound("webhook_id", webhookId);

    private static UpgradeMode? ToDomain(UpgradeModeRequest? mode) => mode switch
    {
        UpgradeModeRequest.AUTO => UpgradeMode.AUTO,
        UpgradeModeRequest.MANUAL => UpgradeMode.MANUAL,
        _ => null,
    };

    private string PublicBaseUrl(HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : options.Value.PublicBaseUrl;
}
