using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Webhook.Domain.Common;
using Webhook.Domain.Events;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure.Sql;
using DomainWebhook = Webhook.Domain.Webhooks.Webhook;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// Notices silence: every few seconds, each enabled webhook with a heartbeat that has received nothing for its
/// interval (counted from the latest of its last accepted request, when the heartbeat was set, when it was last
/// enabled) turns SILENT and gets one ALERT event, both in one transaction. Any number of replicas may run it: the
/// conditional UPDATE (SKIP LOCKED) moves a webhook from OK to SILENT once, and only the replica that moved it
/// writes the ALERT. The RECOVERY is the ingest writer's (<see cref="IngestWriter"/>), as the next request is stored.
/// </summary>
internal sealed partial class HeartbeatMonitor(
    NpgsqlDataSource dataSource,
    IIdGenerator ids,
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

    private static readonly string InsertAlertsSql =
        $"INSERT INTO events ({EventMap.Names}) SELECT {EventMap.Values("e")} FROM {EventMap.Unnest("e")}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatCheckSeconds), clock);
        do
        {
            try
            {
                while (await CheckAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogDatabaseFailed(e.GetType().Name, e.Message);
            }
            catch (Exception e)
            {
                LogUnexpected(e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One look: marks the webhooks silent now and stores their ALERTs. Returns how many it raised.</summary>
    internal async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var alerts = new List<Event>();
        await using (var silence = new NpgsqlCommand(SilenceSql, connection, transaction))
        {
            silence.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            silence.Parameters.Add(new NpgsqlParameter { Value = BatchSize, NpgsqlDbType = NpgsqlDbType.Integer });
            await using var reader = await silence.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var source = new EventSource(null, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                alerts.Add(Event.Heartbeat(
                    source, silent: true, reader.GetInt32(4), ids.NewEventId(), reader.GetFieldValue<DateTimeOffset>(5), now));
            }
        }

        if (alerts.Count > 0)
        {
            // A random id that clashes with a stored event's rolls everything back: the webhooks stay OK and the
            // next look raises their ALERTs with fresh ids.
            await using var insert = new NpgsqlCommand(InsertAlertsSql, connection, transaction);
            EventMap.AddParameters(insert.Parameters, alerts);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var alert in alerts)
        {
            LogSilent(alert.WebhookId, alert.DomainId);
        }

        return alerts.Count;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} of domain {DomainId} is silent: heartbeat ALERT raised")]
    private partial void LogSilent(string webhookId, string domainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat check could not reach the database ({Error}: {Message}); trying again")]
    private partial void LogDatabaseFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Heartbeat check failed unexpectedly")]
    private partial void LogUnexpected(Exception exception);
}
