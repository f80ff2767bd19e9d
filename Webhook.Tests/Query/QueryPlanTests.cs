using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>
/// Filters on indexed columns within one domain must use the indexes: EXPLAIN the generated SQL over a few
/// thousand rows spread across domains.
/// </summary>
[Collection(QueryDatabaseCollection.Name)]
public sealed class QueryPlanTests(QueryDatabase db) : IAsyncLifetime
{
    private const int Domains = 40;
    private const int RowsPerDomain = 100;
    private static readonly string DomainPrefix = "domain-plan-" + Guid.NewGuid().ToString("N")[..6] + "-";

    private static readonly SemaphoreSlim Seeded = new(1, 1);
    private static bool _seeded;

    // xunit builds the class once per test: seed the shared database only once.
    public async Task InitializeAsync()
    {
        await Seeded.WaitAsync();
        try
        {
            if (!_seeded)
            {
                await SeedAsync();
                _seeded = true;
            }
        }
        finally
        {
            Seeded.Release();
        }
    }

    private async Task SeedAsync()
    {
        var webhooks = new List<WebhookRow>();
        var events = new List<EventRow>();
        for (var d = 0; d < Domains; d++)
        {
            for (var i = 0; i < RowsPerDomain; i++)
            {
                var created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(d * RowsPerDomain + i).ToString("O");
                webhooks.Add(new WebhookRow(DomainPrefix + d, $"hook {i:D3}", i % 2 == 0 ? "ENABLED" : "DISABLED", $"project-{i % 5}", CreatedAt: created));
                events.Add(new EventRow(DomainPrefix + d, $"event {i}", i % 3 == 0 ? "CRITICAL" : "INFO", created));
            }
        }

        await db.InsertWebhooksAsync([.. webhooks]);
        await db.InsertEventsAsync([.. events]);
        foreach (var table in new[] { "webhooks", "events" })
        {
            await using var analyze = db.DataSource.CreateCommand($"VACUUM ANALYZE {table}");
            await analyze.ExecuteNonQueryAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string> IndexedSearches => new()
    {
        { "webhooks", """{"filter": [{"k": "state", "v": "ENABLED", "o": "eq"}], "sort": {"key": "name"}, "page": {"limit": 20}}""", "ix_webhooks_domain_state_name" },
        { "webhooks", """{"page": {"limit": 20}}""", "ix_webhooks_domain_name" },
        { "webhooks", """{"sort": {"key": "created_at"}, "page": {"limit": 20}}""", "ix_webhooks_domain_created" },
        { "events", """{"page": {"limit": 20}}""", "ix_events_domain_created" },
        { "events", """{"filter": [{"k": "severity", "v": "CRITICAL", "o": "eq"}], "count_only": true}""", "ix_events_domain_severity" },
    };

    [Theory]
    [MemberData(nameof(IndexedSearches))]
    public async Task Search_IndexedFilterWithinDomain_UsesIndexScan(string resource, string queryJson, string index)
    {
        var schema = resource == "events" ? ResourceSchemas.Events : ResourceSchemas.Webhooks;
        var statement = db.Executor.DescribeSearch(schema, [new ScopeFilter("domain_id", DomainPrefix + "7")],
            QueryParser.Parse(JsonDocument.Parse(queryJson).RootElement));

        var plan = await ExplainAsync(statement);

        var scans = Nodes(plan).Where(n => ((string?)n["Node Type"])?.Contains("Scan", StringComparison.Ordinal) == true).ToList();
        // An empty monthly partition is scanned sequentially, as it should be; no table holding rows may be.
        foreach (var seqScan in scans.Where(n => (string?)n["Node Type"] == "Seq Scan"))
        {
            var relation = (string)seqScan["Relation Name"]!;
            await using var rows = db.DataSource.CreateCommand($"SELECT count(*) FROM (SELECT 1 FROM {relation} LIMIT 1) r");
            Assert.True((long)(await rows.ExecuteScalarAsync())! == 0, $"Seq Scan on {relation}, which holds rows");
        }

        var indexScans = scans.Where(n => (string?)n["Node Type"] is "Index Scan" or "Index Only Scan" or "Bitmap Index Scan");
        var used = new List<string>();
        foreach (var scan in indexScans)
        {
            used.Add(await ParentIndexAsync((string)scan["Index Name"]!));
        }

        Assert.Contains(index, used);
    }

    [Fact]
    public async Task Search_DomainStateSortNameLimit_IsAnOrderedIndexScanWithoutSort()
    {
        var statement = db.Executor.DescribeSearch(ResourceSchemas.Webhooks, [new ScopeFilter("domain_id", DomainPrefix + "3")],
            QueryParser.Parse(JsonDocument.Parse("""{"filter": [{"k": "state", "v": "DISABLED", "o": "eq"}], "sort": {"key": "name"}, "page": {"start": 2, "limit": 10}}""").RootElement));

        var plan = await ExplainAsync(statement);

        Assert.Contains(Nodes(plan), n => (string?)n["Node Type"] is "Index Scan" or "Index Only Scan" && (string?)n["Index Name"] == "ix_webhooks_domain_state_name");
        Assert.DoesNotContain(Nodes(plan), n => (string?)n["Node Type"] is "Sort" or "Seq Scan");
        Assert.Contains("ORDER BY t.name COLLATE \"C\" ASC, t.id ASC", statement.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DISABLED", statement.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsCreatedIndex_IncludesSeverity_SoStatBySeverityOverTimeNeedsNoHeap()
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'events' AND indexname = 'ix_events_domain_created'");

        var definition = (string?)await command.ExecuteScalarAsync();

        Assert.NotNull(definition);
        Assert.Contains("(domain_id, created_at DESC, id DESC) INCLUDE (severity)", definition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_OverPlanDomain_ReturnsOnlyThatDomainPaged()
    {
        var page = await db.SearchAsync(DomainPrefix + "5", """{"filter": [{"k": "state", "v": "ENABLED", "o": "eq"}], "page": {"start": 3, "limit": 2}}""");

        Assert.Equal("hook 004,hook 006", SearchOperatorTests.Names(page));
        Assert.Equal(RowsPerDomain / 2, page.TotalCount);
    }

    [Fact]
    public async Task Stat_OverPlanDomain_GroupsOnlyThatDomain()
    {
        var response = await db.StatAsync(DomainPrefix + "5",
            """{"aggregate": [{"group": {"keys": [{"key": "severity", "name": "severity"}], "fields": [{"name": "n", "operator": "count"}]}}]}""",
            ResourceSchemas.Events);

        StatTests.AssertJson("""{"results": [{"severity": "CRITICAL", "n": 34}, {"severity": "INFO", "n": 66}]}""", response);
    }

    /// <summary>Events are partitioned: a plan names a partition's index, which was made from one on the table.</summary>
    private async Task<string> ParentIndexAsync(string index)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT coalesce((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = $1::regclass), $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = index });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<JsonNode> ExplainAsync(SqlStatement statement)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = statement.ToCommand(connection, "EXPLAIN (FORMAT JSON) ");
        var text = (string)(await command.ExecuteScalarAsync())!;
        return JsonNode.Parse(text)![0]!["Plan"]!;
    }

    private static IEnumerable<JsonObject> Nodes(JsonNode plan)
    {
        var node = plan.AsObject();
        yield return node;
        if (node["Plans"] is JsonArray children)
        {
            foreach (var child in children)
            {
                foreach (var descendant in Nodes(child!))
                {
                    yield return descendant;
                }
            }
        }
    }
}
