using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>
/// SQL injection attempts in keys, values, sort keys and stage names: each ends as a QueryException or an ordinary
/// result, never a database error, and the tables are unchanged afterwards.
/// </summary>
[Collection(QueryDatabaseCollection.Name)]
public sealed class QueryInjectionTests(QueryDatabase db)
{
    public static TheoryData<string, bool> SearchAttempts => new()
    {
        // keys: not in the allow-list => 400
        { """{"filter": [{"k": "name; DROP TABLE webhooks; --", "v": "a", "o": "eq"}]}""", true },
        { """{"filter": [{"k": "name = name OR 1=1 --", "v": "a", "o": "eq"}]}""", true },
        { """{"filter": [{"k": "\"name\"", "v": "a", "o": "eq"}]}""", true },
        { """{"filter": [{"k": "webhooks.name", "v": "a", "o": "eq"}]}""", true },
        { """{"sort": {"key": "name; DROP TABLE webhooks; --"}}""", true },
        { """{"sort": {"key": "name COLLATE \"C\", (SELECT pg_sleep(1))"}}""", true },
        { """{"only": ["name FROM webhooks; DELETE FROM webhooks; --"]}""", true },
        // dotted paths into free-form objects are bound parameters: a strange tag name simply does not exist
        { """{"filter": [{"k": "tags.x'); DROP TABLE webhooks; --", "v": "a", "o": "eq"}]}""", false },
        { """{"filter": [{"k": "tags.env}' OR '1'='1", "v": "prod", "o": "eq"}]}""", false },
        { """{"filter": [{"k": "tags.a\"b", "v": 1, "o": "gt"}]}""", false },
        // values are bound parameters
        { """{"filter": [{"k": "name", "v": "' OR '1'='1", "o": "eq"}]}""", false },
        { """{"filter": [{"k": "name", "v": "x'; DROP TABLE webhooks; --", "o": "contain"}]}""", false },
        { """{"filter": [{"k": "name", "v": "x'); DELETE FROM webhooks; --", "o": "regex"}]}""", true },
        { """{"filter": [{"k": "name", "v": "x'; DELETE FROM webhooks; --", "o": "regex"}]}""", false },
        { """{"filter": [{"k": "name", "v": ["a') OR ('1'='1", "b"], "o": "in"}]}""", false },
        { """{"filter": [{"k": "tags.env", "v": "\"prod\"' OR '1'='1", "o": "eq"}]}""", false },
        { """{"filter": [{"k": "requests.total", "v": 1e400, "o": "gt"}]}""", false },
        { """{"filter": [{"k": "name", "v": ["\\'; DROP TABLE webhooks; --"], "o": "contain_in"}], "keyword": "'; DROP TABLE webhooks; --"}""", false },
        { """{"keyword": "%' OR 1=1 --"}""", false },
        { """{"filter": [{"k": "created_at", "v": "2024-01-01'; DROP TABLE webhooks; --", "o": "datetime_gt"}]}""", true },
    };

    [Theory]
    [MemberData(nameof(SearchAttempts))]
    public async Task Search_InjectionAttempt_IsRejectedOrMatchesNothing(string query, bool rejected)
    {
        var before = await db.CountRowsAsync("webhooks");

        var ex = await Record.ExceptionAsync(() => db.SearchAsync(QueryDatabase.ExampleDomain, query));

        if (rejected)
        {
            Assert.IsType<QueryException>(ex);
        }
        else
        {
            Assert.Null(ex);
            var page = await db.SearchAsync(QueryDatabase.ExampleDomain, query);
            Assert.Empty(page.Results);
            Assert.Equal(0, page.TotalCount);
        }

        Assert.Equal(before, await db.CountRowsAsync("webhooks"));
    }

    [Fact]
    public async Task Search_InjectionInFreeFormSortKey_IsJustAMissingTag()
    {
        var before = await db.CountRowsAsync("webhooks");

        var page = await db.SearchAsync(QueryDatabase.ExampleDomain, """{"sort": {"key": "tags.x) DESC; DROP TABLE webhooks; --", "desc": true}}""");

        // Missing everywhere: every row ties and creation order decides.
        Assert.Equal("Prometheus Alerts,grafana hook,Zabbix,alpha.test", SearchOperatorTests.Names(page));
        Assert.Equal(before, await db.CountRowsAsync("webhooks"));
    }

    public static TheoryData<string, string?> StatAttempts => new()
    {
        // stage names become JSON keys through bound parameters: returned verbatim, nothing executed
        {
            """{"aggregate": [{"count": {"name": "n\"); DROP TABLE webhooks; --"}}]}""",
            """{"results": [{"n\"); DROP TABLE webhooks; --": 4}]}"""
        },
        {
            """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "s', (SELECT 1)); DELETE FROM webhooks; --"}], "fields": [{"name": "c'||pg_sleep(1)||'", "operator": "count"}]}}, {"sort": {"key": "c'||pg_sleep(1)||'"}}, {"limit": 1}]}""",
            """{"results": [{"s', (SELECT 1)); DELETE FROM webhooks; --": "DISABLED", "c'||pg_sleep(1)||'": 1}]}"""
        },
        {
            """{"filter": [{"k": "name", "v": "Zabbix", "o": "eq"}], "aggregate": [{"group": {"keys": [{"key": "created_at", "name": "d", "date_format": "%Y'); DROP TABLE webhooks; --"}]}}]}""",
            """{"results": [{"d": "2024'); DROP TABLE webhooks; --"}]}"""
        },
        { """{"distinct": "state; DROP TABLE webhooks"}""", null },
        { """{"aggregate": [{"group": {"keys": [{"key": "state) FROM webhooks; DROP TABLE webhooks; --", "name": "s"}]}}]}""", null },
        { """{"aggregate": [{"unwind": {"path": "tags') FROM webhooks; DROP TABLE webhooks; --"}}]}""", null },
        { """{"aggregate": [{"unwind": {"path": "tags.x') FROM webhooks; DROP TABLE webhooks; --"}}]}""", """{"results": []}""" },
        { """{"filter": [{"k": "tags.x'; DROP TABLE webhooks; --", "v": null, "o": "not"}], "distinct": "tags.y'; DROP TABLE webhooks; --"}""", """{"results": []}""" },
    };

    [Theory]
    [MemberData(nameof(StatAttempts))]
    public async Task Stat_InjectionAttempt_IsRejectedOrHarmless(string query, string? expected)
    {
        var before = await db.CountRowsAsync("webhooks");

        var ex = await Record.ExceptionAsync(() => db.StatAsync(QueryDatabase.ExampleDomain, query));

        if (expected is null)
        {
            Assert.IsType<QueryException>(ex);
        }
        else
        {
            Assert.Null(ex);
            StatTests.AssertJson(expected, await db.StatAsync(QueryDatabase.ExampleDomain, query));
        }

        Assert.Equal(before, await db.CountRowsAsync("webhooks"));
    }

    [Fact]
    public async Task Scope_InjectionInScopeValue_MatchesNothing()
    {
        var scope = new[] { new ScopeFilter("domain_id", "domain-f' OR '1'='1") };

        var page = await db.Executor.SearchAsync(ResourceSchemas.Webhooks, scope, Webhook.Domain.Querying.Query.Empty, CancellationToken.None);

        Assert.Empty(page.Results);
    }
}
