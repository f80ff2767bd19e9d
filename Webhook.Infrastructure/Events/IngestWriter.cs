using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure.Senders;
using Webhook.Infrastructure.Sql;
using Webhook.Infrastructure.Telemetry;
using DomainWebhook = Webhook.Domain.Webhooks.Webhook;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// The writer behind <see cref="IngestQueue"/> (group commit): takes every request waiting, looks their
/// webhooks up in one query, checks each access key in constant time, stores all accepted requests and counts
/// them in <c>requests_total</c> with ONE statement (its own transaction), then answers every waiting request.
/// Two round trips per batch however many requests it holds.
/// </summary>
internal sealed partial class IngestWriter(
    IngestQueue queue,
    NpgsqlDataSource dataSource,
    EventSignal signal,
    RecoverySignal recoveries,
    SenderLimits limits,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    ILogger<IngestWriter> logger) : BackgroundService
{
    // Compared against when the webhook does not exist, so a miss costs what a wrong key costs.
    private static readonly byte[] DummyKey = Encoding.UTF8.GetBytes(new string('0', 32));

    private const string LookupSql =
        "SELECT webhook_id, id, access_key, state, previous_access_key, previous_key_expires_at FROM webhooks WHERE webhook_id = ANY($1)";

    private static readonly ColumnMap<(PendingIngest Item, long Ref)> RequestMap = WebhookRequestColumns.Map;

    private const string HeartbeatOk = nameof(HeartbeatState.OK);
    private const string HeartbeatSilent = nameof(HeartbeatState.SILENT);

    // The join re-checks the state inside the statement, so a disable committed after the lookup still wins.
    // Rows of one webhook are all stored or none, so the distinct refs returned say which requests were stored.
    // The NOTIFY is delivered at commit and wakes parse workers in every process (RequestListener); identical
    // notifications of one transaction are folded into one.
    // Heartbeat: a stored request moves last_request_at, and ends a silence by leaving heartbeat_recovered_at for the
    // heartbeat job, which writes the RECOVERY event (this statement never touches events: a lock on that table, a
    // partition being created or dropped, must not stop senders). Under the row lock the UPDATE sees the newest
    // state, so a silence the job committed a moment ago is ended here, and one it is about to commit waits for this
    // statement and then finds the webhook heard from.
    private static readonly string InsertSql = $"""
        WITH input AS (
            SELECT * FROM {RequestMap.Unnest("t")}
        ), stored AS (
            INSERT INTO webhook_requests ({RequestMap.Names}, domain_id, status, attempts, next_attempt_at)
            SELECT {RequestMap.Values("i")}, w.domain_id, 'PENDING', 0, i.received_at
            FROM input i JOIN webhooks w ON w.id = i.webhook_ref AND w.state = '{DomainWebhook.StateAcceptingEvents}'
            RETURNING webhook_ref, received_at
        ), counted AS (
            UPDATE webhooks w SET requests_total = w.requests_total + c.n,
                last_request_at = greatest(w.last_request_at, c.last),
                heartbeat_state = '{HeartbeatOk}',
                heartbeat_recovered_at = CASE WHEN w.heartbeat_state = '{HeartbeatSilent}' THEN c.first ELSE w.heartbeat_recovered_at END
            FROM (SELECT webhook_ref, count(*) AS n, min(received_at) AS first, max(received_at) AS last FROM stored GROUP BY webhook_ref) c
            WHERE w.id = c.webhook_ref
            RETURNING w.id, w.heartbeat_recovered_at IS NOT NULL
        )
        SELECT c.* FROM counted c CROSS JOIN (SELECT pg_notify('{RequestListener.Channel}', '')) AS notified
        """;

    private readonly int _maxBatch = options.Value.IngestMaxBatch;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, queue.Lanes).Select(lane => Task.Run(() => WriteLoopAsync(lane, stoppingToken), stoppingToken)));
        }
        finally
        {
            queue.Close();
            for (var lane = 0; lane < queue.Lanes; lane++)
            {
                while (queue.TryTake(lane, out var left))
                {
                    left.Completion.TrySetResult(IngestOutcome.Unavailable);
                }
            }
        }
    }

    /// <summary>
    /// One writer per lane: takes everything queued (up to a batch), stores it, repeats. Lanes run side by side so
    /// one batch's commit (fsync) overlaps another's lookup instead of stalling every request behind it.
    /// </summary>
    private async Task WriteLoopAsync(int lane, CancellationToken stoppingToken)
    {
        var batch = new List<PendingIngest>(_maxBatch);
        try
        {
            while (await queue.WaitToTakeAsync(lane, stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && queue.TryTake(lane, out var item))
                {
                    batch.Add(item);
                }

                metrics.IngestBatch(batch.Count);
                await WriteBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var item in batch)
            {
                item.Completion.TrySetResult(IngestOutcome.Unavailable);
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingIngest> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var webhooks = await LookupAsync(connection, batch, cancellationToken);
            var accepted = new List<(PendingIngest Item, long Ref)>(batch.Count);
            foreach (var item in batch)
            {
                var outcome = Authorize(item.Request, webhooks, out var webhookRef);
                if (outcome == IngestOutcome.Accepted)
                {
                    accepted.Add((item, webhookRef));
                }
                else
                {
                    item.Completion.TrySetResult(outcome);
                }
            }

            if (accepted.Count == 0)
            {
                return;
            }

            var stored = await InsertWithRetryAsync(connection, accepted, cancellationToken);
            var lost = new List<PendingIngest>();
            foreach (var (item, webhookRef) in accepted)
            {
                if (stored.Contains(webhookRef))
                {
                    item.Completion.TrySetResult(IngestOutcome.Accepted);
                }
                else
                {
                    lost.Add(item);
                }
            }

            if (stored.Count > 0)
            {
                signal.Pulse();
            }

            if (lost.Count > 0)
            {
                // Disabled or deleted between the lookup and the insert: answer what a fresh request would get.
                var now = await LookupAsync(connection, lost, cancellationToken);
                foreach (var item in lost)
                {
                    var outcome = Authorize(item.Request with { TokenTaken = true }, now, out _);
                    item.Completion.TrySetResult(outcome == IngestOutcome.Accepted ? IngestOutcome.Unavailable : outcome);
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogStoreFailed(e.GetType().Name, batch.Count);
            foreach (var item in batch)
            {
                item.Completion.TrySetResult(IngestOutcome.Unavailable);
            }
        }
    }

    private static async Task<Dictionary<string, StoredWebhook>> LookupAsync(
        NpgsqlConnection connection, IEnumerable<PendingIngest> items, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LookupSql, connection);
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = items.Select(i => i.Request.WebhookId).Distinct(StringComparer.Ordinal).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        await command.PrepareAsync(cancellationToken);
        var found = new Dictionary<string, StoredWebhook>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = new StoredWebhook(
                reader.GetInt64(1),
                Encoding.UTF8.GetBytes(reader.GetString(2)),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : Encoding.UTF8.GetBytes(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
        }

        return found;
    }

    /// <summary>
    /// Unknown webhook, wrong key and a previous key past its grace look the same, and cost the same: two fixed-time
    /// comparisons (current and previous key), whatever the outcome; the grace is judged at the request's receipt.
    /// Only a request with the right key draws from its webhook's token bucket (unless the receiver already drew for it).
    /// </summary>
    private IngestOutcome Authorize(
        IncomingRequest request, Dictionary<string, StoredWebhook> webhooks, out long webhookRef)
    {
        var exists = webhooks.TryGetValue(request.WebhookId, out var webhook);
        var current = CryptographicOperations.FixedTimeEquals(exists ? webhook!.Key : DummyKey, request.AccessKey);
        var previous = CryptographicOperations.FixedTimeEquals(webhook?.PreviousKey ?? DummyKey, request.AccessKey)
                       & webhook?.PreviousKeyExpiresAt > request.ReceivedAt;
        var keyMatches = current | previous;
        webhookRef = webhook?.Ref ?? 0;
        if (!exists || !keyMatches)
        {
            return IngestOutcome.Denied;
        }

        limits.RememberVerified(request.WebhookId, request.AccessKey);
        if (webhook!.State != DomainWebhook.StateAcceptingEvents)
        {
            return IngestOutcome.Disabled;
        }

        return request.TokenTaken || limits.TryTakeWebhookToken(request.WebhookId) is null
            ? IngestOutcome.Accepted
            : IngestOutcome.RateLimited;
    }

    private sealed record StoredWebhook(long Ref, byte[] Key, string State, byte[]? PreviousKey, DateTimeOffset? PreviousKeyExpiresAt);

    private async Task<HashSet<long>> InsertWithRetryAsync(
        NpgsqlConnection connection, List<(PendingIngest Item, long Ref)> accepted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InsertAsync(connection, accepted, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected
                                                  or PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                // Another process's writer counted the same webhooks in another order; the statement rolled back whole.
            }
            catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
            {
                // One payload PostgreSQL's jsonb refuses must not sink the others: store them one by one.
                var stored = new HashSet<long>();
                foreach (var one in accepted)
                {
                    stored.UnionWith(await InsertOneAsync(connection, one, cancellationToken));
                }

                return stored;
            }
        }
    }

    /// <summary>A single request; a payload jsonb refuses (e.g. a \u0000 escape) is kept as its text instead.</summary>
    private async Task<HashSet<long>> InsertOneAsync(
        NpgsqlConnection connection, (PendingIngest Item, long Ref) one, CancellationToken cancellationToken)
    {
        try
        {
            return await InsertAsync(connection, [one], cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            var request = one.Item.Request;
            var asText = request with { PayloadJson = JsonSerializer.Serialize(request.PayloadJson) };
            var retried = new PendingIngest(asText);
            return await InsertAsync(connection, [(retried, one.Ref)], cancellationToken);
        }
    }

    private async Task<HashSet<long>> InsertAsync(
        NpgsqlConnection connection, List<(PendingIngest Item, long Ref)> accepted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection);
        RequestMap.AddParameters(command.Parameters, accepted);
        await command.PrepareAsync(cancellationToken);
        var stored = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(reader.GetInt64(0));
            if (reader.GetBoolean(1))
            {
                recoveries.Pulse();
            }
        }

        return stored;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} incoming requests ({Error}); answered 503")]
    private partial void LogStoreFailed(string error, int count);
}
