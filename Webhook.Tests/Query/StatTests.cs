using System.Text.Json.Nodes;
using Webhook.Infrastructure.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>
/// Statistics queries against real PostgreSQL. Expected responses are compared as exact JSON text (after
/// normalising whitespace), so field order, integers without ".0" and ISO dates are all checked.
/// </summary>
[Collection(QueryDatabaseCollection.Name)]
public sealed class StatTests(QueryDatabase db)
{
    private const string F = QueryDatabase.ExampleDomain;
    private const string Ops = QueryDatabase.OpsDomain;

    public static TheoryData<string, string> WorkedExamples => new()
    {
        {
            """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"operator": "count", "name": "count"}]}}, {"sort": {"key": "state"}}]}""",
            """{"results": [{"state": "DISABLED", "count": 1}, {"state": "ENABLED", "count": 3}]}"""
        },
        { """{"aggregate": [{"count": {"name": "total"}}]}""", """{"results": [{"total": 4}]}""" },
        {
            """{"filter": [{"k": "name", "v": "nothing", "o": "eq"}], "aggregate": [{"count": {"name": "total"}}]}""",
            """{"results": []}"""
        },
        {
            """{"aggregate": [{"group": {"fields": [{"key": "requests.total", "name": "total_requests", "operator": "sum"}, {"name": "webhooks", "operator": "count"}]}}]}""",
            """{"results": [{"total_requests": 15, "webhooks": 4}]}"""
        },
        {
            """{"aggregate": [{"group": {"keys": [{"key": "project_id", "name": "project_id"}], "fields": [{"key": "requests.total", "name": "total", "operator": "sum"}]}}, {"sort": {"keys": [{"key": "total", "desc": true}, {"key": "project_id"}]}}]}""",
            """{"results": [{"project_id": "project-1", "total": 15}, {"project_id": "project-2", "total": 0}, {"project_id": "project-3", "total": 0}]}"""
        },
        { """{"distinct": "state"}""", """{"results": ["DISABLED", "ENABLED"]}""" },
        { """{"distinct": "project_id", "page": {"start": 2, "limit": 1}}""", """{"results": ["project-2"], "total_count": 3}""" },
        {
            """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "month", "date_format": "%Y-%m"}], "fields": [{"name": "count", "operator": "count"}]}}, {"sort": {"key": "month"}}]}""",
            """{"results": [{"month": "2024-01", "count": 2}, {"month": "2024-02", "count": 1}, {"month": "2024-03", "count": 1}]}"""
        },
        {
            """{"aggregate": [{"group": {"keys": [{"key": "project_id", "name": "project_id"}], "fields": [{"name": "enabled", "operator": "count", "conditions": [{"key": "state", "value": "ENABLED", "operator": "eq"}]}, {"name": "all", "operator": "count"}]}}, {"sort": {"key": "project_id"}}]}""",
            """{"results": [{"project_id": "project-1", "enabled": 1, "all": 2}, {"project_id": "project-2", "enabled": 1, "all": 1}, {"project_id": "project-3", "enabled": 1, "all": 1}]}"""
        },
    };

    [Theory]
    [MemberData(nameof(WorkedExamples))]
    public async Task Stat_WorkedExample_MatchesQueryMd(string query, string expected)
    {
        var response = await db.StatAsync(F, query);

        AssertJson(expected, response);
    }

    public static TheoryData<string, string, string> StageCases => new()
    {
        // group field operators
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "s"}], "fields": [{"key": "requests.total", "name": "avg", "operator": "average"}]}}]}""",
            """{"results": [{"s": "DISABLED", "avg": 5}, {"s": "ENABLED", "avg": 3.3333333333333333}]}"""
        },
        {
            Ops, """{"aggregate": [{"group": {"fields": [{"key": "tags.n", "name": "avg", "operator": "average"}, {"key": "tags.n", "name": "sum", "operator": "sum"}, {"key": "tags.none", "name": "none", "operator": "average"}, {"key": "tags.none", "name": "zero", "operator": "sum"}]}}]}""",
            """{"results": [{"avg": 5.8333333333333333, "sum": 17.5, "none": null, "zero": 0}]}"""
        },
        {
            Ops, """{"aggregate": [{"group": {"fields": [{"key": "name", "name": "max", "operator": "max"}, {"key": "name", "name": "min", "operator": "min"}, {"key": "created_at", "name": "last_created", "operator": "max"}, {"key": "requests.total", "name": "max_total", "operator": "max"}, {"key": "tags.n", "name": "max_n", "operator": "max"}, {"key": "tags.n", "name": "min_n", "operator": "min"}, {"key": "tags.none", "name": "max_none", "operator": "max"}]}}]}""",
            """{"results": [{"max": "gamma_1", "min": "Beta", "last_created": "2024-01-06T10:00:00.000Z", "max_total": 20, "max_n": "10", "min_n": 2.5, "max_none": null}]}"""
        },
        {
            Ops, """{"aggregate": [{"group": {"fields": [{"key": "name", "name": "first", "operator": "first"}, {"key": "name", "name": "last", "operator": "last"}, {"key": "created_at", "name": "first_created", "operator": "first"}]}}]}""",
            """{"results": [{"first": "alpha", "last": "gammaX1", "first_created": "2024-01-01T10:00:00.000Z"}]}"""
        },
        {
            Ops, """{"aggregate": [{"sort": {"key": "name"}}, {"group": {"fields": [{"key": "name", "name": "first", "operator": "first"}, {"key": "name", "name": "last", "operator": "last"}]}}]}""",
            """{"results": [{"first": "Beta", "last": "gamma_1"}]}"""
        },
        {
            Ops, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"key": "name", "name": "names", "operator": "push"}]}}]}""",
            """{"results": [{"state": "DISABLED", "names": ["Beta", "eps.ilon"]}, {"state": "ENABLED", "names": ["alpha", "gamma_1", "delta%x", "gammaX1"]}]}"""
        },
        {
            Ops, """{"filter": [{"k": "state", "v": "DISABLED", "o": "eq"}], "aggregate": [{"group": {"fields": [{"name": "rows", "operator": "push", "fields": [{"key": "name", "name": "n"}, {"key": "requests.total", "name": "t"}]}]}}]}""",
            """{"results": [{"rows": [{"n": "Beta", "t": 20}, {"n": "eps.ilon", "t": 7}]}]}"""
        },
        {
            Ops, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"key": "plugin_info.plugin_id", "name": "plugins", "operator": "add_to_set"}]}}]}""",
            """{"results": [{"state": "DISABLED", "plugins": ["plugin-a", "plugin-b"]}, {"state": "ENABLED", "plugins": ["plugin-a", "plugin-b", "plugin-c"]}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"fields": [{"key": "tags", "name": "tags", "operator": "merge_objects"}]}}]}""",
            """{"results": [{"tags": {"env": "prod", "team": "sre"}}]}"""
        },
        {
            Ops, """{"aggregate": [{"sort": {"key": "name", "desc": true}}, {"group": {"fields": [{"key": "tags", "name": "m", "operator": "merge_objects"}]}}]}""",
            """{"results": [{"m": {"n": 10, "env": "dev", "nul": null, "flag": true, "list": [1, 2]}}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"fields": [{"key": "requests.total", "name": "enabled_total", "operator": "sum", "conditions": [{"k": "state", "v": "ENABLED", "o": "eq"}, {"k": "requests.total", "v": 0, "o": "gt"}]}]}}]}""",
            """{"results": [{"enabled_total": 10}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"fields": [{"name": "c", "operator": "count", "conditions": [{"k": "created_at", "v": "2024-02-01", "o": "gte"}, {"k": "requests.total", "v": 5, "o": "lt"}, {"k": "tags.env", "v": "dev", "o": "not"}]}]}}]}""",
            """{"results": [{"c": 2}]}"""
        },
        // group keys: date formats, missing values, empty input
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "y", "date_format": "year"}], "fields": [{"name": "n", "operator": "count"}]}}]}""",
            """{"results": [{"y": 2024, "n": 4}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "m", "date_format": "month"}], "fields": [{"name": "n", "operator": "count"}]}}]}""",
            """{"results": [{"m": 1, "n": 2}, {"m": 2, "n": 1}, {"m": 3, "n": 1}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "d", "date_format": "day"}], "fields": [{"name": "n", "operator": "count"}]}}]}""",
            """{"results": [{"d": 1, "n": 3}, {"d": 2, "n": 1}]}"""
        },
        {
            F, """{"filter": [{"k": "name", "v": "Prometheus Alerts", "o": "eq"}], "aggregate": [{"group": {"keys": [{"key": "created_at", "name": "at", "date_format": "%Y/%m/%d %H:%M:%S %j %b %a Q\"YYYY 100%%"}]}}]}""",
            """{"results": [{"at": "2024/01/01 10:00:00 001 Jan Mon Q\"YYYY 100%"}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "tags.env", "name": "env"}], "fields": [{"name": "n", "operator": "count"}]}}]}""",
            """{"results": [{"env": null, "n": 1}, {"env": "dev", "n": 1}, {"env": "prod", "n": 2}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}, {"key": "project_id", "name": "p"}], "fields": [{"name": "n", "operator": "count"}]}}]}""",
            """{"results": [{"state": "DISABLED", "p": "project-1", "n": 1}, {"state": "ENABLED", "p": "project-1", "n": 1}, {"state": "ENABLED", "p": "project-2", "n": 1}, {"state": "ENABLED", "p": "project-3", "n": 1}]}"""
        },
        {
            F, """{"filter": [{"k": "name", "v": "nothing", "o": "eq"}], "aggregate": [{"group": {"fields": [{"name": "n", "operator": "count"}, {"key": "requests.total", "name": "s", "operator": "sum"}]}}]}""",
            """{"results": []}"""
        },
        {
            F, """{"filter": [{"k": "name", "v": "nothing", "o": "eq"}], "aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"name": "n", "operator": "count"}]}}]}""",
            """{"results": []}"""
        },
        // count, sort, limit, skip, page
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "project_id", "name": "p"}], "fields": [{"name": "n", "operator": "count"}]}}, {"sort": [{"key": "n", "desc": true}, {"key": "p"}]}, {"skip": 1}, {"limit": 1}]}""",
            """{"results": [{"p": "project-2", "n": 1}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"name": "n", "operator": "count"}]}}, {"count": {"name": "groups"}}]}""",
            """{"results": [{"groups": 2}]}"""
        },
        {
            F, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"name": "n", "operator": "count"}]}}], "page": {"start": 1, "limit": 1}}""",
            """{"results": [{"state": "DISABLED", "n": 1}], "total_count": 2}"""
        },
        {
            F, """{"aggregate": [{"sort": {"key": "name"}}, {"limit": 2}, {"project": {"fields": [{"key": "name", "name": "name"}, {"key": "requests.total", "name": "total"}]}}]}""",
            """{"results": [{"name": "Prometheus Alerts", "total": 10}, {"name": "Zabbix", "total": 0}]}"""
        },
        {
            F, """{"aggregate": [{"sort": {"key": "created_at", "desc": true}}, {"skip": 3}, {"project": {"fields": [{"key": "name", "name": "n"}, {"key": "plugin_info.plugin_id", "name": "plugin"}, {"key": "created_at", "name": "at"}]}}]}""",
            """{"results": [{"n": "Prometheus Alerts", "plugin": "plugin-prometheus", "at": "2024-01-01T10:00:00.000Z"}]}"""
        },
        // project operators and exclude_keys
        {
            Ops, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"key": "name", "name": "names", "operator": "push"}, {"key": "requests.total", "name": "totals", "operator": "push"}]}}, {"project": {"fields": [{"key": "names", "name": "n", "operator": "size"}, {"key": "totals", "name": "s", "operator": "sum"}]}}]}""",
            """{"results": [{"state": "DISABLED", "n": 2, "s": 27}, {"state": "ENABLED", "n": 4, "s": 18}]}"""
        },
        {
            Ops, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"key": "name", "name": "names", "operator": "push"}]}}, {"project": {"fields": [{"key": "names", "name": "n", "operator": "size"}], "exclude_keys": true}}]}""",
            """{"results": [{"n": 2}, {"n": 4}]}"""
        },
        {
            F, """{"filter": [{"k": "name", "v": "Prometheus Alerts", "o": "eq"}], "aggregate": [{"project": {"fields": [{"key": "tags", "name": "t", "operator": "object_to_array"}]}}, {"project": {"fields": [{"key": "t", "name": "t"}, {"key": "t", "name": "o", "operator": "array_to_object"}]}}]}""",
            """{"results": [{"t": [{"k": "env", "v": "prod"}, {"k": "team", "v": "sre"}], "o": {"env": "prod", "team": "sre"}}]}"""
        },
        // unwind: arrays give one row per element, scalars one row, missing or empty nothing
        {
            Ops, """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "state"}], "fields": [{"key": "name", "name": "names", "operator": "push"}]}}, {"unwind": {"path": "names"}}, {"sort": {"key": "names"}}, {"limit": 3}]}""",
            """{"results": [{"state": "DISABLED", "names": "Beta"}, {"state": "ENABLED", "names": "alpha"}, {"state": "ENABLED", "names": "delta%x"}]}"""
        },
        {
            Ops, """{"aggregate": [{"unwind": {"path": "tags.list"}}, {"group": {"keys": [{"key": "tags.list", "name": "v"}], "fields": [{"name": "c", "operator": "count"}]}}]}""",
            """{"results": [{"v": 1, "c": 1}, {"v": 2, "c": 1}]}"""
        },
        {
            Ops, """{"aggregate": [{"unwind": {"path": "name"}}, {"count": {"name": "rows"}}]}""",
            """{"results": [{"rows": 6}]}"""
        },
        {
            Ops, """{"aggregate": [{"unwind": {"path": "tags.missing"}}, {"count": {"name": "rows"}}]}""",
            """{"results": []}"""
        },
        // distinct: non-null values, ascending (numbers numerically, strings by bytes, dates as ISO strings)
        { F, """{"distinct": "tags.env"}""", """{"results": ["dev", "prod"]}""" },
        { F, """{"distinct": "requests.total"}""", """{"results": [0, 5, 10]}""" },
        { Ops, """{"distinct": "name"}""", """{"results": ["Beta", "alpha", "delta%x", "eps.ilon", "gammaX1", "gamma_1"]}""" },
        { Ops, """{"distinct": "tags.n", "page": {"limit": 10}}""", """{"results": [2.5, 5, 10, "10"], "total_count": 4}""" },
        { F, """{"distinct": "plugin_info.plugin_id", "filter": [{"k": "state", "v": "ENABLED", "o": "eq"}]}""", """{"results": ["plugin-aws-sns", "plugin-prometheus"]}""" },
        // aggregate wins over distinct
        { F, """{"distinct": "state", "aggregate": [{"count": {"name": "n"}}]}""", """{"results": [{"n": 4}]}""" },
        // keyword and filter_or select the input rows
        { F, """{"keyword": "zab graf", "aggregate": [{"count": {"name": "n"}}]}""", """{"results": [{"n": 2}]}""" },
    };

    [Theory]
    [MemberData(nameof(StageCases))]
    public async Task Stat_Stage_ProducesExpectedRows(string domain, string query, string expected)
    {
        var response = await db.StatAsync(domain, query);

        AssertJson(expected, response);
    }

    [Fact]
    public async Task Stat_Events_GroupBySeverityAndDistinctOccurredAt()
    {
        var grouped = await db.StatAsync(QueryDatabase.EventsDomain,
            """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "day", "date_format": "%Y-%m-%d"}], "fields": [{"name": "n", "operator": "count"}, {"key": "severity", "name": "severities", "operator": "add_to_set"}]}}, {"sort": {"key": "day", "desc": true}}]}""",
            ResourceSchemas.Events);
        var distinct = await db.StatAsync(QueryDatabase.EventsDomain, """{"distinct": "occurred_at"}""", ResourceSchemas.Events);

        AssertJson(
            """{"results": [{"day": "2024-05-03", "n": 1, "severities": ["ERROR"]}, {"day": "2024-05-02", "n": 2, "severities": ["INFO", "WARNING"]}, {"day": "2024-05-01", "n": 1, "severities": ["CRITICAL"]}]}""",
            grouped);
        AssertJson("""{"results": ["2024-04-30T00:00:00.123Z", "2024-05-01T09:59:00.000Z", "2024-05-02T08:00:00.000Z"]}""", distinct);
    }

    [Fact]
    public async Task Stat_DefaultDocumentPipeline_ReturnsFullDocuments()
    {
        var response = await db.StatAsync(F, """{"aggregate": [{"sort": {"key": "requests.total", "desc": true}}, {"limit": 1}]}""");

        var doc = Assert.Single(response["results"]!.AsArray())!.AsObject();
        Assert.Equal("Prometheus Alerts", (string?)doc["name"]);
        Assert.Equal("plugin-prometheus", (string?)doc["plugin_info"]!["plugin_id"]);
        Assert.Equal("2024-01-01T10:00:00.000Z", (string?)doc["created_at"]);
        Assert.Equal("10", doc["requests"]!["total"]!.ToJsonString());
    }

    internal static void AssertJson(string expected, JsonObject actual)
    {
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual.ToJsonString());
    }
}
