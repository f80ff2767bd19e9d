using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Webhook.Api.Common.OpenApi;

/// <summary>One example body per request, so "Try it out" starts from something that works.</summary>
internal sealed class RequestExampleFilter : IOperationFilter
{
    private static readonly Dictionary<string, string> Examples = new()
    {
        ["CreateWebhook"] = """
            {"name": "prometheus-prod", "project_id": "project-1", "domain_id": "domain-1",
             "plugin_info": {"plugin_id": "plugin-prometheus-mon-webhook", "options": {}, "upgrade_mode": "AUTO"},
             "tags": {"env": "prod"}}
            """,
        ["UpdateWebhook"] = """{"name": "prometheus-production", "tags": {"env": "prod", "team": "sre"}, "domain_id": "domain-1"}""",
        ["UpdateWebhookPlugin"] = """{"version": "1.0.0", "options": {}, "upgrade_mode": "MANUAL", "domain_id": "domain-1"}""",
        ["SetWebhookHeartbeat"] = """{"domain_id": "domain-1", "interval_seconds": 300}""",
        ["VerifyWebhookPlugin"] = """{"domain_id": "domain-1"}""",
        ["EnableWebhook"] = """{"domain_id": "domain-1"}""",
        ["DisableWebhook"] = """{"domain_id": "domain-1"}""",
        ["SearchWebhooks"] = """
            {"domain_id": "domain-1",
             "query": {"filter": [{"k": "state", "v": "ENABLED", "o": "eq"}],
                       "filter_or": [{"k": "tags.env", "v": "prod", "o": "eq"}, {"k": "name", "v": "prom", "o": "contain"}],
                       "sort": [{"key": "name"}], "page": {"start": 1, "limit": 20}}}
            """,
        ["StatWebhooks"] = """
            {"domain_id": "domain-1",
             "query": {"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}],
                                                "fields": [{"operator": "count", "name": "count"}]}},
                                     {"sort": {"key": "count", "desc": true}}, {"limit": 10}]}}
            """,
        ["SearchEvents"] = """
            {"domain_id": "domain-1",
             "query": {"filter": [{"k": "severity", "v": ["CRITICAL", "ERROR"], "o": "in"}],
                       "sort": [{"key": "created_at", "desc": true}], "page": {"limit": 20}}}
            """,
        ["RotateWebhookAccessKey"] = """{"domain_id": "domain-1", "grace_seconds": 3600}""",
        ["SearchAudit"] = """
            {"domain_id": "domain-1",
             "query": {"filter": [{"k": "action", "v": ["delete", "disable"], "o": "in"}], "page": {"limit": 20}}}
            """,
        ["ReplayEvents"] = """{"domain_id": "domain-1", "start": "2026-01-01T00:00:00Z", "dry_run": true}""",
        ["TestWebhook"] = """
            {"domain_id": "domain-1",
             "data": {"version": "4", "status": "firing", "receiver": "webhook-service",
                      "alerts": [{"status": "firing", "fingerprint": "e0b1d2c3a4f56789",
                                  "labels": {"alertname": "Watchdog", "severity": "none"},
                                  "annotations": {"summary": "An alert that should always be firing"},
                                  "startsAt": "2026-01-01T00:00:00Z"}]}}
            """,
        ["StatEvents"] = """
            {"domain_id": "domain-1",
             "query": {"aggregate": [{"group": {"keys": [{"key": "severity", "name": "severity"}],
                                                "fields": [{"operator": "count", "name": "count"}]}}]}}
            """,
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId is { } id
            && Examples.TryGetValue(id, out var example)
            && operation.RequestBody?.Content is { } content
            && content.TryGetValue("application/json", out var media)
            && media is OpenApiMediaType json)
        {
            json.Example = JsonNode.Parse(example);
        }
    }
}
