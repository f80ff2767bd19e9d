using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Webhook.Infrastructure;

namespace Webhook.Tests.Retention;

/// <summary>A private database migrated up to a given migration, with helpers to put rows in by hand.</summary>
internal sealed class RetentionDatabase : IAsyncDisposable
{
    private RetentionDatabase(TestDatabase database)
    {
        Database = database;
        DataSource = NpgsqlDataSource.Create(database.ConnectionString);
    }

    public TestDatabase Database { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<RetentionDatabase> CreateAsync(string? upTo = null)
    {
        var database = new RetentionDatabase(await TestDatabase.CreateAsync("webhook_retention"));
        await database.MigrateAsync(upTo);
        return database;
    }

    public async Task MigrateAsync(string? upTo = null)
    {
        await using var db = new WebhookDbContext(new DbContextOptionsBuilder<WebhookDbContext>()
            .UseNpgsql(Database.ConnectionString).UseSnakeCaseNamingConvention().Options);
        await db.GetService<IMigrator>().MigrateAsync(upTo);
    }

    public async Task<long> ExecuteAsync(string sql, params object?[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        var result = await command.ExecuteScalarAsync();
        return result is long or int ? Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public async Task<List<string>> StringsAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "null" : reader.GetString(0));
        }

        return values;
    }

    /// <summary>A webhook row (internal id returned) in <paramref name="domain"/>.</summary>
    public Task<long> InsertWebhookAsync(string domain, string webhookId) =>
        ExecuteAsync("""
            INSERT INTO webhooks (webhook_id, name, state, access_key, webhook_url, plugin_id, plugin_version, upgrade_mode,
                                  requests_total, requests_error, project_id, domain_id, created_at)
            VALUES ($1, $1, 'ENABLED', '0123456789abcdef0123456789abcdef', 'http://localhost/x', 'plugin-test-ok', '1.0.0',
                    'AUTO', 0, 0, 'project-1', $2, now())
            RETURNING id
            """, webhookId, domain);

    public Task<List<string>> PartitionsAsync() =>
        StringsAsync("SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1");

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Database.DisposeAsync();
    }
}
