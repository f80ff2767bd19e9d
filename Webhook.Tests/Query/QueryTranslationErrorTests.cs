using Webhook.Domain.Common;
using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>Errors that need the resource (unknown keys, field types) or the database (PostgreSQL regex rules).</summary>
[Collection(QueryDatabaseCollection.Name)]
public sealed class QueryTranslationErrorTests(QueryDatabase db)
{
    public static TheoryData<string, string, string> SearchErrors => new()
    {
        { "webhooks", """{"filter": [{"k": "foo", "v": "a", "o": "eq"}]}""", "query.filter[0].k" },
        { "webhooks", """{"filter": [{"k": "name", "v": "a", "o": "eq"}, {"key": "Name", "value": "a", "operator": "eq"}]}""", "query.filter[1].key" },
        { "webhooks", """{"filter_or": [{"k": "plugin_info.bogus", "v": "a", "o": "eq"}]}""", "query.filter_or[0].k" },
        { "webhooks", """{"filter": [{"k": "requests.total.x", "v": 1, "o": "eq"}]}""", "query.filter[0].k" },
        { "webhooks", """{"filter": [{"k": "name.x", "v": 1, "o": "eq"}]}""", "query.filter[0].k" },
        { "webhooks", """{"filter": [{"k": "id", "v": 1, "o": "eq"}]}""", "query.filter[0].k" },
        { "events", """{"filter": [{"k": "plugin_info.plugin_id", "v": "a", "o": "eq"}]}""", "query.filter[0].k" },
        { "events", """{"filter": [{"k": "request_id", "v": 1, "o": "eq"}]}""", "query.filter[0].k" },
        { "webhooks", """{"sort": {"key": "bogus"}}""", "query.sort.key" },
        { "webhooks", """{"sort": [{"key": "name"}, {"key": "bogus", "desc": true}]}""", "query.sort[1].key" },
        { "webhooks", """{"sort": {"keys": [{"key": "bogus"}]}}""", "query.sort.keys[0].key" },
        { "webhooks", """{"only": ["name", "secret"]}""", "query.only[1]" },
        { "webhooks", """{"filter": [{"k": "name", "v": "2024-01-01", "o": "datetime_gt"}]}""", "query.filter[0].o" },
        { "webhooks", """{"filter": [{"k": "tags.when", "v": "now", "o": "timediff_gt"}]}""", "query.filter[0].o" },
        { "webhooks", """{"filter": [{"k": "created_at", "v": "yesterday", "o": "eq"}]}""", "query.filter[0].v" },
        { "webhooks", """{"filter": [{"k": "created_at", "v": 5, "o": "gt"}]}""", "query.filter[0].v" },
        { "webhooks", """{"filter": [{"k": "created_at", "v": ["2024-01-01", "soon"], "o": "in"}]}""", "query.filter[0].v[1]" },
        // .NET accepts these patterns, PostgreSQL's ARE engine does not: still a 400 naming the value
        { "webhooks", """{"filter": [{"k": "name", "v": "a{300}", "o": "regex"}]}""", "query.filter[0].v" },
        { "webhooks", """{"filter_or": [{"k": "name", "v": "x", "o": "eq"}, {"k": "name", "v": ["^a", "b{1,999}"], "o": "regex_in"}]}""", "query.filter_or[1].v[1]" },
    };

    [Theory]
    [MemberData(nameof(SearchErrors))]
    public async Task Search_InvalidForResource_ThrowsQueryExceptionWithPath(string resource, string query, string path)
    {
        var schema = resource == "events" ? ResourceSchemas.Events : ResourceSchemas.Webhooks;

        var ex = await Assert.ThrowsAsync<QueryException>(() => db.SearchAsync(QueryDatabase.ExampleDomain, query, schema));

        Assert.Equal((ErrorCodes.InvalidQuery, path), (ex.Code, ex.Path));
    }

    public static TheoryData<string, string> StatErrors => new()
    {
        { """{"distinct": "bogus"}""", "query.distinct" },
        { """{"filter": [{"k": "bogus", "v": 1, "o": "eq"}], "distinct": "state"}""", "query.filter[0].k" },
        { """{"aggregate": [{"group": {"keys": [{"key": "bogus", "name": "b"}]}}]}""", "query.aggregate[0].group.keys[0].key" },
        { """{"aggregate": [{"group": {"keys": [{"key": "name", "name": "n", "date_format": "year"}]}}]}""", "query.aggregate[0].group.keys[0].date_format" },
        { """{"aggregate": [{"group": {"fields": [{"key": "bogus", "name": "s", "operator": "sum"}]}}]}""", "query.aggregate[0].group.fields[0].key" },
        { """{"aggregate": [{"group": {"fields": [{"name": "n", "operator": "count", "conditions": [{"k": "bogus", "v": 1, "o": "eq"}]}]}}]}""", "query.aggregate[0].group.fields[0].conditions[0].k" },
        { """{"aggregate": [{"group": {"fields": [{"name": "p", "operator": "push", "fields": [{"key": "bogus", "name": "b"}]}]}}]}""", "query.aggregate[0].group.fields[0].fields[0].key" },
        { """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "s"}]}}, {"sort": {"key": "state"}}]}""", "query.aggregate[1].sort.key" },
        { """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "s"}]}}, {"group": {"keys": [{"key": "name", "name": "n"}]}}]}""", "query.aggregate[1].group.keys[0].key" },
        { """{"aggregate": [{"count": {"name": "n"}}, {"project": {"fields": [{"key": "m", "name": "m"}]}}]}""", "query.aggregate[1].project.fields[0].key" },
        { """{"aggregate": [{"unwind": {"path": "bogus"}}]}""", "query.aggregate[0].unwind.path" },
        { """{"aggregate": [{"sort": {"key": "bogus"}}]}""", "query.aggregate[0].sort.key" },
        { """{"filter": [{"k": "name", "v": "x{256}", "o": "regex"}], "aggregate": [{"count": {"name": "n"}}]}""", "query.filter[0].v" },
    };

    [Theory]
    [MemberData(nameof(StatErrors))]
    public async Task Stat_InvalidForResource_ThrowsQueryExceptionWithPath(string query, string path)
    {
        var ex = await Assert.ThrowsAsync<QueryException>(() => db.StatAsync(QueryDatabase.ExampleDomain, query));

        Assert.Equal((ErrorCodes.InvalidQuery, path), (ex.Code, ex.Path));
    }

    [Fact]
    public async Task Stat_LaterStageKeyEqualToGroupKeyName_RefersToTheGroupKey()
    {
        // "state" names the group key (holding the project), not the webhook's state column.
        var response = await db.StatAsync(QueryDatabase.ExampleDomain,
            """{"aggregate": [{"group": {"keys": [{"key": "project_id", "name": "state"}], "fields": [{"name": "n", "operator": "count"}]}}, {"sort": {"key": "state", "desc": true}}, {"limit": 1}]}""");

        StatTests.AssertJson("""{"results": [{"state": "project-3", "n": 1}]}""", response);
    }
}
