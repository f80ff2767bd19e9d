using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;
using Microsoft.EntityFrameworkCore;
using Webhook.Infrastructure;
using Webhook.Tests.Fixtures;
using Xunit;

namespace Webhook.Tests.Query;

public sealed record WebhookRow(
    string Domain,
    string Name,
    string State = "ENABLED",
    string Project = "project-1",
    string Tags = "{}",
    long Total = 0,
    long Error = 0,
    string PluginId = "plugin-prometheus",
    string CreatedAt = "2024-01-01T10:00:00Z",
    string Options = "{}",
    string Metadata = "{}",
    string Capability = "{}")
{
    public string WebhookId { get; init; } = "webhook-" + Guid.NewGuid().ToString("N")[..12];
}

public sealed record EventRow(
    string Domain,
    string Title,
    string Severity = "ERROR",
    string CreatedAt = "2024-01-01T10:00:00Z",
    string? OccurredAt = null,
    string Resource = "{}",
    string AdditionalInfo = "{}",
    string? RawData = null,
    string WebhookId = "webhook-000000000001",
    string EventKey = "key-1",
    string EventType = "ALERT")
{
    public string EventId { get; init; } = "event-" + Guid.NewGuid().ToString("N")[..12];
}

/// <summary>
/// A private database per test run (webhook_query_xxxx) on the server of ConnectionStrings__Webhook, with the
/// schema the production migrations create. Tests isolate their data by
/// domain_id; the fixture seeds the worked-example rows F1..F4 of QUERY.md in <see cref="ExampleDomain"/>.
/// </summary>
public sealed class QueryDatabase : IAsyncLifetime
{
    public const string ExampleDomain = "domain-f";


    public const string OpsDomain = "domain-ops";

    public const string EventsDomain = "domain-ev";

    /// <summary>Rows for the operator table: mixed case, %/_/. in names, strings vs numbers vs null vs missing in tags.</summary>
    public IReadOnlyList<WebhookRow> OpsRows { get; } =
    [
        new(OpsDomain, "alpha", "ENABLED", "p1", """{"env": "prod", "n": 5, "flag": true}""", 10, 0, "plugin-a", "2024-01-01T10:00:00Z"),
        new(OpsDomain, "Beta", "DISABLED", "p1", """{"env": "dev", "n": 10, "nul": null}""", 20, 1, "plugin-b", "2024-01-02T10:00:00Z"),
        new(OpsDomain, "gamma_1", "ENABLED", "p2", """{"env": "Prod", "n": "10"}""", 0, 0, "plugin-a", "2024-01-03T10:00:00Z"),
        new(OpsDomain, "delta%x", "ENABLED", "p2", "{}", 5, 5, "plugin-b", "2024-01-04T10:00:00Z"),
        new(OpsDomain, "eps.ilon", "DISABLED", "p3", """{"env": "prod", "list": [1, 2]}""", 7, 0, "plugin-a", "2024-01-05T10:00:00Z"),
        new(OpsDomain, "gammaX1", "ENABLED", "p3", """{"n": 2.5}""", 3, 0, "plugin-c", "2024-01-06T10:00:00Z"),
    ];

    /// <summary>Events: E2 and E3 share created_at (tiebreak), E2 has no occurred_at and no raw_data.</summary>
    public IReadOnlyList<EventRow> EventRows { get; } =
    [
        new(EventsDomain, "Disk full on db-1", "CRITICAL", "2024-05-01T10:00:00Z", "2024-05-01T09:59:00Z", """{"resource_id": "db-1", "type": "server"}""", "{}", """{"a": 1}"""),
        new(EventsDomain, "CPU high", "WARNING", "2024-05-02T10:00:00Z", null, """{"resource_id": "web-1"}""", "{}", null),
        new(EventsDomain, "cpu normal", "INFO", "2024-05-02T10:00:00Z", "2024-05-02T08:00:00Z", "{}", "{}", """{"a": "1"}"""),
        new(EventsDomain, "Memory", "ERROR", "2024-05-03T10:00:00Z", "2024-04-30T00:00:00.123Z", "{}", """{"count": 3}""", null),
    ];

    private TestDatabase? _database;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public QueryExecutor Executor { get; private set; } = null!;

    /// <summary>F1..F4 of QUERY.md, in creation order.</summary>
    public IReadOnlyList<WebhookRow> Examples { get; } =
    [
        new(ExampleDomain, "Prometheus Alerts", "ENABLED", "project-1", """{"env": "prod", "team": "sre"}""", 10, 1, "plugin-prometheus", "2024-01-01T10:00:00Z"),
        new(ExampleDomain, "grafana hook", "DISABLED", "project-1", """{"env": "dev"}""", 5, 0, "plugin-grafana", "2024-01-02T10:00:00Z"),
        new(ExampleDomain, "Zabbix", "ENABLED", "project-2", "{}", 0, 0, "plugin-prometheus", "2024-02-01T10:00:00Z"),
        new(ExampleDomain, "alpha.test", "ENABLED", "project-3", """{"env": "prod"}""", 0, 0, "plugin-aws-sns", "2024-03-01T10:00:00Z"),
    ];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("webhook_query");
        var options = new DbContextOptionsBuilder<WebhookDbContext>()
            .UseNpgsql(_database.ConnectionString)
            .UseSnakeCaseNamingConvention()
            .Options;
        await using (var db = new WebhookDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        DataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        Executor = new QueryExecutor(DataSource);
        await InsertWebhooksAsync([.. Examples]);
        await InsertWebhooksAsync([.. OpsRows]);
        await InsertEventsAsync([.. EventRows]);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _database!.DisposeAsync();
    }

    public QueryExecutor ExecutorAt(DateTimeOffset now) => new(DataSource, new FixedTime(now));

    public async Task InsertWebhooksAsync(params WebhookRow[] rows)
    {
        await using var batch = DataSource.CreateBatch();
        foreach (var r in rows)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO webhooks (webhook_id, name, state, access_key, webhook_url, capability, plugin_id, plugin_version,
                  plugin_options, plugin_metadata, upgrade_mode, tags, requests_total, requests_error, project_id, domain_id, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, '1.0', $8, $9, 'AUTO', $10, $11, $12, $13, $14, $15)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = r.WebhookId });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = r.State });
            command.Parameters.Add(new NpgsqlParameter { Value = "0123456789abcdef0123456789abcdef" });
            command.Parameters.Add(new NpgsqlParameter { Value = $"http://localhost/monitoring/v1/webhook/{r.WebhookId}/key/events" });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Capability, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = r.PluginId });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Options, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Metadata, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Tags, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Total });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Error });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Project });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Domain });
            command.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.Parse(r.CreatedAt, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task InsertEventsAsync(params EventRow[] rows)
    {
        await using var batch = DataSource.CreateBatch();
        foreach (var r in rows)
        {
            // The payload lives with a raw request (of any webhook: the FK wants one) that the event refers to.
            var command = new NpgsqlBatchCommand("""
                WITH request AS (
                    INSERT INTO webhook_requests (webhook_ref, domain_id, received_at, payload, status, attempts, next_attempt_at)
                    SELECT (SELECT min(id) FROM webhooks), $11, $12, $9, 'DONE', 1, $12 WHERE $9::jsonb IS NOT NULL
                    RETURNING id)
                INSERT INTO events (event_id, event_key, event_type, title, severity, resource, occurred_at, additional_info,
                  request_id, webhook_id, project_id, domain_id, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT id FROM request), $10, 'project-1', $11, $12)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = r.EventId });
            command.Parameters.Add(new NpgsqlParameter { Value = r.EventKey });
            command.Parameters.Add(new NpgsqlParameter { Value = r.EventType });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Title });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Severity });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Resource, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = r.OccurredAt is null ? DBNull.Value : DateTimeOffset.Parse(r.OccurredAt, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime,
                NpgsqlDbType = NpgsqlDbType.TimestampTz,
            });
            command.Parameters.Add(new NpgsqlParameter { Value = r.AdditionalInfo, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)r.RawData ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = r.WebhookId });
            command.Parameters.Add(new NpgsqlParameter { Value = r.Domain });
            command.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.Parse(r.CreatedAt, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task<long> CountRowsAsync(string table)
    {
        await using var command = DataSource.CreateCommand(table == "events" ? "SELECT count(*) FROM events" : "SELECT count(*) FROM webhooks");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public Task<SearchPage> SearchAsync(string domain, string? queryJson, ResourceSchema? schema = null, QueryExecutor? executor = null) =>
        (executor ?? Executor).SearchAsync(schema ?? ResourceSchemas.Webhooks, [new ScopeFilter("domain_id", domain)],
            QueryParser.Parse(queryJson is null ? null : JsonDocument.Parse(queryJson).RootElement), CancellationToken.None);

    public Task<JsonObject> StatAsync(string domain, string queryJson, ResourceSchema? schema = null) =>
        Executor.StatAsync(schema ?? ResourceSchemas.Webhooks, [new ScopeFilter("domain_id", domain)],
            QueryParser.ParseStatistics(JsonDocument.Parse(queryJson).RootElement), CancellationToken.None);

    public static string NewDomain(string prefix) => $"domain-{prefix}-{Guid.NewGuid():N}"[..30];

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

[CollectionDefinition(Name)]
public sealed class QueryDatabaseCollection : ICollectionFixture<QueryDatabase>
{
    public const string Name = "QueryDatabase";
}
