namespace Webhook.Infrastructure.Querying;

/// <summary>The two queryable resources. Their DDL is in the EF migration (and the query tests' fixture).</summary>
public static class ResourceSchemas
{
    public static ResourceSchema Webhooks { get; } = new(
        "webhooks",
        "webhooks",
        [
            new("webhook_id", "t.webhook_id", FieldKind.Text),
            new("name", "t.name", FieldKind.Text),
            new("state", "t.state", FieldKind.Text),
            new("access_key", "t.access_key", FieldKind.Text),
            new("webhook_url", "t.webhook_url", FieldKind.Text),
            new("capability", "t.capability", FieldKind.Json, Open: true),
            new("plugin_info.plugin_id", "t.plugin_id", FieldKind.Text),
            new("plugin_info.version", "t.plugin_version", FieldKind.Text),
            new("plugin_info.options", "t.plugin_options", FieldKind.Json, Open: true),
            new("plugin_info.metadata", "t.plugin_metadata", FieldKind.Json, Open: true),
            new("plugin_info.upgrade_mode", "t.upgrade_mode", FieldKind.Text),
            new("requests.total", "t.requests_total", FieldKind.Integer),
            new("requests.error", "t.requests_error", FieldKind.Integer),
            new("heartbeat.interval_seconds", "t.heartbeat_interval_seconds", FieldKind.Integer),
            new("heartbeat.last_request_at", "t.last_request_at", FieldKind.Instant, Nullable: true),
            new("heartbeat.state", "t.heartbeat_state", FieldKind.Text),
            new("tags", "t.tags", FieldKind.Json, Open: true),
            new("project_id", "t.project_id", FieldKind.Text),
            new("domain_id", "t.domain_id", FieldKind.Text),
            new("created_at", "t.created_at", FieldKind.Instant),
        ],
        minimalFields: ["webhook_id", "name", "state", "webhook_url", "project_id"],
        keywordFields: ["webhook_id", "name"],
        defaultSort: [("name", false)],
        tiebreakDesc: false);

    /// <summary>The audit log (DESIGN.md "Who may call"): read-only, newest first.</summary>
    public static ResourceSchema Audit { get; } = new(
        "audit",
        "audit_log",
        [
            new("audit_id", "t.audit_id", FieldKind.Text),
            new("created_at", "t.created_at", FieldKind.Instant),
            new("sub", "t.sub", FieldKind.Text),
            new("action", "t.action", FieldKind.Text),
            new("route", "t.route", FieldKind.Text),
            new("webhook_id", "t.webhook_id", FieldKind.Text),
            new("project_id", "t.project_id", FieldKind.Text),
            new("domain_id", "t.domain_id", FieldKind.Text),
            new("changes", "t.changes", FieldKind.Json, Open: true),
        ],
        minimalFields: ["audit_id", "created_at", "sub", "action", "webhook_id"],
        keywordFields: ["audit_id", "sub", "webhook_id"],
        defaultSort: [("created_at", true)],
        tiebreakDesc: true);

    /// <summary>
    /// An event's payload is stored once, with its raw request (issue 11): one primary-key probe per event shown,
    /// null once the request expired (retention) or its webhook was deleted. domain_id keeps the join co-located
    /// under Citus (docs/scaling.md).
    /// </summary>
    internal const string RawDataThroughRequest =
        "(SELECT r.payload FROM webhook_requests r WHERE r.id = t.request_id AND r.domain_id = t.domain_id)";

    public static ResourceSchema Events { get; } = new(
        "events",
        "events",
        [
            new("event_id", "t.event_id", FieldKind.Text),
            new("event_key", "t.event_key", FieldKind.Text),
            new("event_type", "t.event_type", FieldKind.Text),
            new("title", "t.title", FieldKind.Text),
            new("description", "t.description", FieldKind.Text),
            new("severity", "t.severity", FieldKind.Text),
            new("resource", "t.resource", FieldKind.Json, Open: true),
            new("rule", "t.rule", FieldKind.Text),
            new("occurred_at", "t.occurred_at", FieldKind.Instant, Nullable: true),
            new("additional_info", "t.additional_info", FieldKind.Json, Open: true),
            new("image_url", "t.image_url", FieldKind.Text),
            new("provider", "t.provider", FieldKind.Text),
            new("account", "t.account", FieldKind.Text),
            new("webhook_id", "t.webhook_id", FieldKind.Text),
            new("project_id", "t.project_id", FieldKind.Text),
            new("domain_id", "t.domain_id", FieldKind.Text),
            new("raw_data", RawDataThroughRequest, FieldKind.Json, Nullable: true, Open: true),
            new("created_at", "t.created_at", FieldKind.Instant),
        ],
        minimalFields: ["event_id", "event_key", "event_type", "title", "severity", "webhook_id", "created_at"],
        keywordFields: ["event_id", "title"],
        defaultSort: [("created_at", true)],
        tiebreakDesc: true);
}
