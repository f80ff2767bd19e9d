namespace Webhook.Domain.Audit;

/// <summary>
/// One accepted change: who (the token's <c>sub</c>), when, through which route, on which webhook, and the changed
/// fields with their new values. Never a key, a URL holding one, or plugin option values. Outlives its webhook.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    /// <summary>Database identity; orders entries by creation.</summary>
    public long Id { get; private set; }
    public string AuditId { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public string Sub { get; private set; } = "";
    public string Action { get; private set; } = "";
    public string Route { get; private set; } = "";
    public string DomainId { get; private set; } = "";
    public string ProjectId { get; private set; } = "";
    public string WebhookId { get; private set; } = "";
    public JsonElement Changes { get; private set; }

    public static AuditEntry Record(
        string auditId, DateTimeOffset now, string sub, string action, string route, string domainId, string projectId,
        string webhookId, JsonElement changes) => new()
    {
        AuditId = auditId,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
        Sub = sub,
        Action = action,
        Route = route,
        DomainId = domainId,
        ProjectId = projectId,
        WebhookId = webhookId,
        Changes = changes,
    };
}
