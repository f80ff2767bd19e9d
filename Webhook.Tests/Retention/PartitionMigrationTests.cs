namespace Webhook.Tests.Retention;

/// <summary>The migration that partitions events moves the rows it finds, and stores each payload once.</summary>
public sealed class PartitionMigrationTests
{
    [Fact]
    public async Task Migrate_WithEventsInTwoMonths_MovesThemIntoMonthlyPartitionsAndReadsPayloadThroughTheRequest()
    {
        await using var db = await RetentionDatabase.CreateAsync(upTo: "IncludeStateInProjectIndex");
        var webhookRef = await db.InsertWebhookAsync("domain-m", "webhook-00000000000m");
        var requestId = await db.ExecuteAsync("""
            INSERT INTO webhook_requests (webhook_ref, received_at, payload, status, attempts, next_attempt_at)
            VALUES ($1, '2024-05-10T00:00:00Z', '{"alert": "disk"}', 'DONE', 1, now()) RETURNING id
            """, webhookRef);
        var sequence = 0;
        foreach (var (eventId, createdAt) in new[] { ("event-00000000000a", "2024-05-10T00:00:01Z"), ("event-00000000000b", "2024-07-01T00:00:00Z") })
        {
            await db.ExecuteAsync("""
                INSERT INTO events (event_id, event_key, event_type, title, severity, raw_data, request_id, sequence,
                                    webhook_id, project_id, domain_id, created_at)
                VALUES ($1, 'k', 'ALERT', 't', 'ERROR', '{"alert": "disk"}', $2, $3, 'webhook-00000000000m', 'project-1',
                        'domain-m', $4::timestamptz)
                """, eventId, requestId, sequence++, createdAt);
        }

        await db.MigrateAsync();

        var partitions = await db.PartitionsAsync();
        Assert.Contains("events_2024_05", partitions);
        Assert.Contains("events_2024_07", partitions);
        Assert.Contains("events_default", partitions);
        Assert.Equal(
            ["event-00000000000a events_2024_05", "event-00000000000b events_2024_07"],
            await db.StringsAsync("SELECT event_id || ' ' || tableoid::regclass::text FROM events ORDER BY event_id"));
        Assert.Equal(0, await db.ExecuteAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'raw_data'"));
        Assert.Equal(["domain-m"], await db.StringsAsync("SELECT domain_id FROM webhook_requests"));
        Assert.Equal(
            ["""{"alert": "disk"}""", """{"alert": "disk"}"""],
            await db.StringsAsync($"SELECT {Webhook.Infrastructure.Querying.ResourceSchemas.RawDataThroughRequest}::text FROM events t"));
    }

    [Fact]
    public async Task Migrate_OnAnEmptyDatabase_MakesThisAndNextMonthsPartitionsAndKeepsIdsGrowing()
    {
        await using var db = await RetentionDatabase.CreateAsync();

        var now = DateTime.UtcNow;
        var partitions = await db.PartitionsAsync();
        Assert.Contains($"events_{now:yyyy_MM}", partitions);
        Assert.Contains($"events_{now.AddMonths(1):yyyy_MM}", partitions);
        var first = await db.ExecuteAsync("""
            INSERT INTO events (event_id, event_key, event_type, title, severity, webhook_id, project_id, domain_id, created_at)
            VALUES ('event-000000000001', 'k', 'ALERT', 't', 'ERROR', 'w', 'p', 'd', now()) RETURNING id
            """);
        Assert.True(first > 0);
    }
}
