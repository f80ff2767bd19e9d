using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhook.Infrastructure.Querying;
using Webhook.Infrastructure.Retention;

namespace Webhook.Tests.Retention;

/// <summary>Retention on the real database with the clock set by the test.</summary>
public sealed class StorageMaintenanceTests
{
    private static readonly DateTimeOffset Now = new(2027, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunOnce_DropsWholeExpiredMonthsAndMakesMonthsAhead()
    {
        await using var db = await RetentionDatabase.CreateAsync();
        foreach (var createdAt in new[] { "2027-02-27T00:00:00Z", "2027-03-20T00:00:00Z" })
        {
            await db.ExecuteAsync("SELECT webhook_events_partition($1::timestamptz)", createdAt);
            await InsertEventAsync(db, createdAt, requestId: null);
        }

        var result = await Maintenance(db).RunOnceAsync(CancellationToken.None);

        // 90 days before 2027-06-15 is 2027-03-17: February is wholly older, March is not.
        Assert.Contains("events_2027_02", result.DroppedPartitions);
        Assert.DoesNotContain("events_2027_03", result.DroppedPartitions);
        var partitions = await db.PartitionsAsync();
        Assert.DoesNotContain("events_2027_02", partitions);
        Assert.Contains("events_2027_03", partitions);
        Assert.Contains("events_2027_06", partitions);
        Assert.Contains("events_2027_08", partitions);
        Assert.Contains("events_default", partitions);
        Assert.Equal(["2027-03-20"], await db.StringsAsync("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM events"));
    }

    [Fact]
    public async Task RunOnce_MonthWhoseRowsFellIntoDefault_MovesThemIntoItsNewPartition()
    {
        await using var db = await RetentionDatabase.CreateAsync();
        await InsertEventAsync(db, "2027-07-02T00:00:00Z", requestId: null);

        await Maintenance(db).RunOnceAsync(CancellationToken.None);

        Assert.Equal(["events_2027_07"], await db.StringsAsync("SELECT tableoid::regclass::text FROM events"));
    }

    [Fact]
    public async Task RunOnce_TrimsExpiredRowsOfTheDefaultPartition()
    {
        await using var db = await RetentionDatabase.CreateAsync();
        await InsertEventAsync(db, "2020-01-01T00:00:00Z", requestId: null);

        var result = await Maintenance(db).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.DeletedDefaultEvents);
        Assert.Equal(0, await db.ExecuteAsync("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task RunOnce_DeletesExpiredRequestsInBatchesButNeverAPendingOne_AndTheirEventsReadNullRawData()
    {
        await using var db = await RetentionDatabase.CreateAsync();
        var webhookRef = await db.InsertWebhookAsync("domain-r", "webhook-00000000000r");
        var expired = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            expired.Add(await InsertRequestAsync(db, webhookRef, "2027-05-01T00:00:00Z", "DONE"));
        }

        var pending = await InsertRequestAsync(db, webhookRef, "2027-04-01T00:00:00Z", "PENDING");
        var recent = await InsertRequestAsync(db, webhookRef, "2027-06-01T00:00:00Z", "DONE");
        await db.ExecuteAsync("SELECT webhook_events_partition($1::timestamptz)", "2027-05-01T00:00:00Z");
        await InsertEventAsync(db, "2027-05-01T00:00:01Z", expired[0]);
        await InsertEventAsync(db, "2027-06-01T00:00:01Z", recent);

        var result = await Maintenance(db, batch: 2).RunOnceAsync(CancellationToken.None);

        Assert.Equal(5, result.DeletedRequests);
        Assert.Equal(
            [pending, recent],
            (await db.StringsAsync("SELECT id::text FROM webhook_requests ORDER BY id")).Select(long.Parse));
        var page = await new QueryExecutor(db.DataSource).SearchAsync(
            ResourceSchemas.Events, [new ScopeFilter("domain_id", "domain-r")],
            Webhook.Domain.Querying.QueryParser.Parse(JsonDocument.Parse("""{"sort": {"key": "created_at"}}""").RootElement),
            CancellationToken.None);
        var rawData = page.Results.Select(r => r["raw_data"]?.ToJsonString() ?? "null").ToList();
        Assert.Equal(["null", """{"n":1}"""], rawData);
    }

    [Fact]
    public async Task Service_StartedAndStopped_RunsOnceAndStopsCleanly()
    {
        await using var db = await RetentionDatabase.CreateAsync();
        using var service = Maintenance(db);

        await service.StartAsync(CancellationToken.None);
        await EventTestKitWait(async () => (await db.PartitionsAsync()).Contains("events_2027_08"));
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
    }

    private static StorageMaintenance Maintenance(RetentionDatabase db, int batch = 1000) => new(
        db.DataSource,
        new FixedClock(Now),
        Options.Create(new RetentionOptions { RawRequestRetentionDays = 30, EventRetentionDays = 90, DeleteBatchSize = batch }),
        NullLogger<StorageMaintenance>.Instance);

    private static Task EventTestKitWait(Func<Task<bool>> condition) =>
        Webhook.Tests.Events.EventTestKit.WaitUntilAsync(condition, "the first maintenance run");

    private static Task<long> InsertRequestAsync(RetentionDatabase db, long webhookRef, string receivedAt, string status) =>
        db.ExecuteAsync("""
            INSERT INTO webhook_requests (webhook_ref, domain_id, received_at, payload, status, attempts, next_attempt_at)
            VALUES ($1, 'domain-r', $2::timestamptz, '{"n": 1}', $3, 1, $2::timestamptz) RETURNING id
            """, webhookRef, receivedAt, status);

    private static Task<long> InsertEventAsync(RetentionDatabase db, string createdAt, long? requestId) =>
        db.ExecuteAsync("""
            INSERT INTO events (event_id, event_key, event_type, title, severity, request_id, webhook_id, project_id,
                                domain_id, created_at)
            VALUES ('event-' || substr(md5(random()::text), 1, 12), 'k', 'ALERT', 't', 'ERROR', $1, 'webhook-00000000000r',
                    'project-1', 'domain-r', $2::timestamptz)
            """, requestId, createdAt);

    /// <summary>A clock that stays where the test put it; Task.Delay on it never ends within a test.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
