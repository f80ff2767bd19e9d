using Webhook.Domain.Audit;
using Webhook.Infrastructure;
using DomainWebhook = Webhook.Domain.Webhooks.Webhook;

namespace Webhook.Api.Audit;

/// <summary>
/// The audit trail of accepted changes (DESIGN.md "Who may call"). A use case calls <see cref="Record"/> once, after
/// the entity changed and before its <c>SaveChanges</c>: the entry commits in the same transaction as the change, or
/// not at all (a rejected request writes nothing). <paramref name="changes"/>: the changed fields and their new
/// values, never a key, a URL holding one, or plugin option values.
/// </summary>
internal sealed class AuditLog(WebhookDbContext db, IIdGenerator ids, TimeProvider clock)
{
    public const string OptionsWithheld = "(changed; values not recorded)";

    public void Record(Caller caller, string action, DomainWebhook webhook, JsonObject? changes = null) =>
        db.AuditEntries.Add(Entry(caller, action, webhook, changes));

    /// <summary>An entry for a store that writes it in its own transaction (replay).</summary>
    public AuditEntry Entry(Caller caller, string action, DomainWebhook webhook, JsonObject? changes = null) =>
        AuditEntry.Record(
            ids.NewAuditId(),
            clock.GetUtcNow(),
            caller.Subject,
            action,
            caller.Route,
            webhook.DomainId,
            webhook.ProjectId,
            webhook.WebhookId,
            JsonSerializer.SerializeToElement(changes ?? new JsonObject()));
}
