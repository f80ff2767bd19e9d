using System.Text.Json.Nodes;
using Webhook.Infrastructure.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>QUERY.md's worked search examples on F1..F4, response documents, only/minimal, and events.</summary>
[Collection(QueryDatabaseCollection.Name)]
public sealed class SearchDocumentTests(QueryDatabase db)
{
    public static TheoryData<string, string, long> WorkedExamples => new()
    {
        { """{}""", "Prometheus Alerts,Zabbix,alpha.test,grafana hook", 4 },
        { """{"sort": [{"key": "requests.total", "desc": true}]}""", "Prometheus Alerts,grafana hook,Zabbix,alpha.test", 4 },
        { """{"page": {"start": 2, "limit": 2}}""", "Zabbix,alpha.test", 4 },
        { """{"filter": [{"k": "tags.env", "v": "prod", "o": "eq"}]}""", "Prometheus Alerts,alpha.test", 2 },
        { """{"filter": [{"k": "tags.env", "v": "prod", "o": "not"}]}""", "Zabbix,grafana hook", 2 },
        { """{"filter": [{"k": "name", "v": ".", "o": "contain"}]}""", "alpha.test", 1 },
        { """{"filter": [{"k": "name", "v": "^[a-z]", "o": "regex"}]}""", "Prometheus Alerts,Zabbix,alpha.test,grafana hook", 4 },
        { """{"keyword": "zab GRAF"}""", "Zabbix,grafana hook", 2 },
    };

    [Theory]
    [MemberData(nameof(WorkedExamples))]
    public async Task Search_WorkedExample_MatchesQueryMd(string query, string expected, long total)
    {
        var page = await db.SearchAsync(QueryDatabase.ExampleDomain, query);

        Assert.Equal(expected, SearchOperatorTests.Names(page));
        Assert.Equal(total, page.TotalCount);
    }

    [Fact]
    public async Task Search_NullQuery_IsTheEmptyQuery()
    {
        var page = await db.SearchAsync(QueryDatabase.ExampleDomain, null);

        Assert.Equal("Prometheus Alerts,Zabbix,alpha.test,grafana hook", SearchOperatorTests.Names(page));
    }

    [Fact]
    public async Task Search_FullDocument_HasWebhookInfoShape()
    {
        var page = await db.SearchAsync(QueryDatabase.ExampleDomain, """{"filter": [{"k": "name", "v": "Prometheus Alerts", "o": "eq"}]}""");

        var doc = Assert.Single(page.Results);
        var f1 = db.Examples[0];
        var expected = JsonNode.Parse($$"""
            {"webhook_id": "{{f1.WebhookId}}", "name": "Prometheus Alerts", "state": "ENABLED",
             "access_key": "0123456789abcdef0123456789abcdef",
             "webhook_url": "http://localhost/monitoring/v1/webhook/{{f1.WebhookId}}/key/events",
             "capability": {},
             "plugin_info": {"plugin_id": "plugin-prometheus", "version": "1.0", "options": {}, "metadata": {}, "upgrade_mode": "AUTO"},
             "requests": {"total": 10, "error": 1},
             "heartbeat": {"interval_seconds": 0, "last_request_at": null, "state": "OK"},
             "tags": {"env": "prod", "team": "sre"},
             "project_id": "project-1", "domain_id": "domain-f", "created_at": "2024-01-01T10:00:00.000Z"}
            """);
        Assert.True(JsonNode.DeepEquals(expected, doc), doc.ToJsonString());
        Assert.Equal(
            ["webhook_id", "name", "state", "access_key", "webhook_url", "capability", "plugin_info", "requests", "heartbeat", "tags", "project_id", "domain_id", "created_at"],
            doc.Select(p => p.Key));
        Assert.Equal("10", doc["requests"]!["total"]!.ToJsonString());
    }

    public static TheoryData<string, string> OnlyCases => new()
    {
        { """["name"]""", """{"name": "Prometheus Alerts"}""" },
        { """["plugin_info.plugin_id"]""", """{"plugin_info": {"plugin_id": "plugin-prometheus"}}""" },
        { """["plugin_info"]""", """{"plugin_info": {"plugin_id": "plugin-prometheus", "version": "1.0", "options": {}, "metadata": {}, "upgrade_mode": "AUTO"}}""" },
        { """["requests.total", "tags.env"]""", """{"requests": {"total": 10}, "tags": {"env": "prod"}}""" },
        // ours: a missing dotted path is left out, never filled with a default
        { """["name", "tags.missing", "tags.env.deeper"]""", """{"name": "Prometheus Alerts"}""" },
        { """["created_at"]""", """{"created_at": "2024-01-01T10:00:00.000Z"}""" },
    };

    [Theory]
    [MemberData(nameof(OnlyCases))]
    public async Task Search_Only_ReturnsExactlyTheRequestedFields(string only, string expected)
    {
        var page = await db.SearchAsync(QueryDatabase.ExampleDomain,
            $$"""{"only": {{only}}, "filter": [{"k": "name", "v": "Prometheus Alerts", "o": "eq"}]}""");

        var doc = Assert.Single(page.Results);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), doc), doc.ToJsonString());
    }

    [Fact]
    public async Task Search_Minimal_ReturnsTheMinimalWebhookFields()
    {
        var page = await db.SearchAsync(QueryDatabase.ExampleDomain, """{"minimal": true, "page": {"limit": 1}}""");

        var doc = Assert.Single(page.Results);
        Assert.Equal(["webhook_id", "name", "state", "webhook_url", "project_id"], doc.Select(p => p.Key));
        Assert.Equal(4, page.TotalCount);
    }

    [Fact]
    public async Task Search_EventsMinimal_ReturnsTheMinimalEventFields()
    {
        var page = await db.SearchAsync(QueryDatabase.EventsDomain, """{"minimal": true}""", ResourceSchemas.Events);

        Assert.All(page.Results, doc => Assert.Equal(
            ["event_id", "event_key", "event_type", "title", "severity", "webhook_id", "created_at"], doc.Select(p => p.Key)));
    }

    [Fact]
    public async Task Search_EventsDefaultSort_IsNewestFirstWithCreationOrderTiebreak()
    {
        var page = await db.SearchAsync(QueryDatabase.EventsDomain, null, ResourceSchemas.Events);

        // E2 and E3 share created_at: the later-created E3 comes first among the newest-first order.
        Assert.Equal("Memory,cpu normal,CPU high,Disk full on db-1", SearchOperatorTests.Names(page));
    }

    [Fact]
    public async Task Search_EventDocument_HasEventInfoShapeWithNulls()
    {
        var page = await db.SearchAsync(QueryDatabase.EventsDomain, """{"filter": [{"k": "title", "v": "CPU high", "o": "eq"}]}""", ResourceSchemas.Events);

        var doc = Assert.Single(page.Results);
        Assert.Equal(
            ["event_id", "event_key", "event_type", "title", "description", "severity", "resource", "rule", "occurred_at",
             "additional_info", "image_url", "provider", "account", "webhook_id", "project_id", "domain_id", "raw_data", "created_at"],
            doc.Select(p => p.Key));
        Assert.Null(doc["occurred_at"]);
        Assert.Null(doc["raw_data"]);
        Assert.Equal("web-1", (string?)doc["resource"]!["resource_id"]);
        Assert.Equal("2024-05-02T10:00:00.000Z", (string?)doc["created_at"]);
    }

    public static TheoryData<string, string> EventCases => new()
    {
        { """{"filter": [{"k": "occurred_at", "v": null, "o": "eq"}]}""", "CPU high" },
        { """{"filter": [{"k": "occurred_at", "v": false, "o": "exists"}]}""", "CPU high" },
        { """{"filter": [{"k": "occurred_at", "v": "2024-05-01T00:00:00Z", "o": "datetime_lt"}]}""", "Memory" },
        { """{"filter": [{"k": "occurred_at", "v": "2024-05-01T00:00:00Z", "o": "not"}]}""", "Memory,cpu normal,CPU high,Disk full on db-1" },
        { """{"filter": [{"k": "occurred_at", "v": "2024-04-30T00:00:00.123Z", "o": "eq"}]}""", "Memory" },
        { """{"filter": [{"k": "raw_data", "v": true, "o": "exists"}]}""", "cpu normal,Disk full on db-1" },
        { """{"filter": [{"k": "raw_data.a", "v": 1, "o": "eq"}]}""", "Disk full on db-1" },
        { """{"filter": [{"k": "raw_data.a", "v": "1", "o": "eq"}]}""", "cpu normal" },
        { """{"filter": [{"k": "resource.resource_id", "v": "db-1", "o": "eq"}]}""", "Disk full on db-1" },
        { """{"filter": [{"k": "additional_info.count", "v": 2, "o": "gt"}]}""", "Memory" },
        { """{"filter": [{"k": "severity", "v": ["CRITICAL", "INFO"], "o": "in"}]}""", "cpu normal,Disk full on db-1" },
        { """{"keyword": "CPU"}""", "cpu normal,CPU high" },
        { """{"sort": {"key": "occurred_at"}}""", "CPU high,Memory,Disk full on db-1,cpu normal" },
        { """{"sort": {"key": "occurred_at", "desc": true}}""", "cpu normal,Disk full on db-1,Memory,CPU high" },
        { """{"sort": {"key": "title"}}""", "CPU high,Disk full on db-1,Memory,cpu normal" },
    };

    [Theory]
    [MemberData(nameof(EventCases))]
    public async Task Search_Events_FilterAndSort(string query, string expected)
    {
        var page = await db.SearchAsync(QueryDatabase.EventsDomain, query, ResourceSchemas.Events);

        Assert.Equal(expected, SearchOperatorTests.Names(page));
    }
}
