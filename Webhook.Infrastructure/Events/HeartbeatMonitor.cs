using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Webhook.Domain.Common;
using Webhook.Domain.Events;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure.Sql;
using Webhook.Infrastructure.Telemetry;
using DomainWebhook = Webhook.Domain.Webhooks.Webhook;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// Notices silence: every few seconds, each enabled webhook with a heartbeat that has received nothing for its
/// interval (counted from the latest of its last accepted request, when the heartbeat was set, when it was last
/// enabled) turns SILENT and gets one ALERT event, both in one transaction. It also writes the RECOVERY of each
/// silence the ingest writer ended (it leaves <c>heartbeat_recovered_at</c>, committed with the request), woken by
/// <see cref="RecoverySignal"/>. Any number of replicas may run it: rows are claimed with SKIP LOCKED and changed
/// by conditional UPDATEs, so each ALERT and each RECOVERY is written once, by the replica that changed the row.
/// </summary>
internal sealed partial class HeartbeatMonitor(
    NpgsqlDataSource dataSource,
    IIdGenerator ids,
    RecoverySignal recoveries,
    WebhookMetrics metrics,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    ILogger<HeartbeatMonitor> logger) : BackgroundService
{
    private const int BatchSize = 500;

    private static readonly ColumnMap<Event> EventMap = EventColumns.Map;

    // The silence deadline is computed from the row as it is when locked: a request the ingest writer stored a
    // moment ago (it holds the row lock until it commits) is either skipped now or seen moving the deadline.
    // $1 is "now" from the TimeProvider, so the job and the stored times share one clock.
    private const string SilenceSql = $"""
        WITH due AS (
            SELECT id FROM webhooks
            WHERE heartbeat_interval_seconds > 0 AND heartbeat_state = '{nameof(HeartbeatState.OK)}' AND state = '{DomainWebhook.StateAcceptingEvents}'
              AND greatest(last_request_at, heartbeat_set_at, enabled_at)
                  + make_interval(secs => heartbeat_interval_seconds) <= $1
            ORDER BY id LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE webhooks w SET heartbeat_state = '{nameof(HeartbeatState.SILENT)}'
        FROM due WHERE w.id = due.id
        RETURNING w.webhook_id, w.name, w.project_id, w.domain_id, w.heartbeat_interval_seconds,
                  greatest(w.last_request_at, w.heartbeat_set_at, w.enabled_at) + make_interval(secs => w.heartbeat_interval_seconds)
        """;

    // Recoveries are written before new silences: a webhook whose RECOVERY was still to be written when it fell
    // silent again (the job was down for a while) gets its events in their order.
    private const string RecoverySql = """
        WITH due AS (
            SELECT id, heartbeat_recovered_at AS recovered_at FROM webhooks
            WHERE heartbeat_recovered_at IS NOT NULL
            ORDER BY id LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        UPDATE webhooks w SET heartbeat_recovered_at = NULL
        FROM due WHERE w.id = due.id
        RETURNING w.webhook_id, w.name, w.project_id, w.domain_id, w.heartbeat_interval_seconds, due.recovered_at
        """;

    private static readonly string InsertEventsSql =
        $"INSERT INTO events ({EventMap.Names}) SELECT {EventMap.Values("e")} FROM {EventMap.Unnest("e")} WHERE NOT {EventColumns.IdsTaken}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.HeartbeatCheckSeconds);
        return BackgroundLoop.RunAsync(
            async ct => await CheckAsync(ct) >= BatchSize,
            ct => recoveries.WaitAsync(every, ct, clock),
            e => LogDatabaseFailed(e.GetType().Name, e.Message),
            LogUnexpected,
            stoppingToken);
    }

    /// <summary>
    /// One look: writes the RECOVERY of silences requests have ended, marks the webhooks silent now and writes their
    /// ALERTs, in one transaction. Returns how many events it wrote.
    /// </summary>
    internal async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryLockEventsAsync(connection, transaction, cancellationToken))
        {
            return 0;
        }

        var events = new List<Event>();
        await using (var recovered = new NpgsqlCommand(RecoverySql, connection, transaction))
        {
            recovered.Parameters.Add(new NpgsqlParameter { Value = BatchSize, NpgsqlDbType = NpgsqlDbType.Integer });
            await ReadHeartbeatsAsync(recovered, silent: false, now, events, cancellationToken);
        }

        await using (var silence = new NpgsqlCommand(SilenceSql, connection, transaction))
        {
            silence.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            silence.Parameters.Add(new NpgsqlParameter { Value = BatchSize, NpgsqlDbType = NpgsqlDbType.Integer });
            await ReadHeartbeatsAsync(silence, silent: true, now, events, cancellationToken);
        }

        if (events.Count > 0)
        {
            await using var insert = new NpgsqlCommand(InsertEventsSql, connection, transaction);
            EventMap.AddParameters(insert.Parameters, events);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) != events.Count)
            {
                // A random id clashed with a stored event's and nothing went in: roll back (the rows keep their
                // state) and the next look writes these events with fresh ids.
                return 0;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var heartbeat in events)
        {
            metrics.EventsStored(heartbeat.EventType, heartbeat.Severity, 1);
            if (heartbeat.EventType == EventTypes.Alert)
            {
                LogSilent(heartbeat.WebhookId, heartbeat.DomainId);
            }
            else
            {
                LogRecovered(heartbeat.WebhookId, heartbeat.DomainId);
            }
        }

        return events.Count;
    }

    /// <summary>
    /// The lock the event insert needs, taken first and without waiting: the rows this look changes stay locked until
    /// it commits, and the ingest writer updates the same rows, so waiting here for a lock on events (a long
    /// maintenance, a partition being created) would hold every sender to those webhooks. Busy: the next look tries.
    /// </summary>
    private async Task<bool> TryLockEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("LOCK TABLE events IN ROW EXCLUSIVE MODE NOWAIT", connection, transaction);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            LogEventsBusy();
            return false;
        }
    }

    /// <summary>Builds the event of each row: webhook_id, name, project_id, domain_id, interval, and when it happened.</summary>
    private async Task ReadHeartbeatsAsync(
        NpgsqlCommand command, bool silent, DateTimeOffset now, List<Event> events, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var source = new EventSource(null, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            events.Add(Event.Heartbeat(
                source, silent, reader.GetInt32(4), ids.NewEventId(), reader.GetFieldValue<DateTimeOffset>(5), now));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} of domain {DomainId} is silent: heartbeat ALERT raised")]
    private partial void LogSilent(string webhookId, string domainId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Heartbeat check skipped: the events table is locked by another session; trying again")]
    private partial void LogEventsBusy();

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} of domain {DomainId} receives again: heartbeat RECOVERY written")]
    private partial void LogRecovered(string webhookId, string domainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat check could not reach the database ({Error}: {Message}); trying again")]
    private partial void LogDatabaseFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Heartbeat check failed unexpectedly")]
    private partial void LogUnexpected(Exception exception);
}
