using Webhook.Domain.Audit;
using Npgsql;
using NpgsqlTypes;
using Webhook.Domain.Common;
using Webhook.Domain.Events;
using Webhook.Domain.Plugins;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure.Sql;
using Webhook.Infrastructure.Telemetry;

namespace Webhook.Infrastructure.Events;

/// <summary>A raw request a worker claimed, with what it needs to know about its webhook.</summary>
/// <param name="Attempts">Tries spent so far, this one included (outages give theirs back).</param>
/// <param name="Unreadable">Why the stored payload cannot be read back within the JSON depth limit (then Payload is default).</param>
internal sealed record ClaimedRequest(
    long Id, int Attempts, DateTimeOffset ReceivedAt, JsonElement Payload, string? Unreadable, WebhookContext Webhook);

internal sealed record WebhookContext(long Ref, string WebhookId, string Name, string ProjectId, string DomainId, PluginBinding Plugin)
{
    public EventSource SourceOf(long requestId) => new(requestId, WebhookId, Name, ProjectId, DomainId);
}

/// <summary>A claimed request to try again later.</summary>
/// <param name="Outage">The plugin was down, not failing this payload: the try is given back, not spent.</param>
internal sealed record RetriedRequest(long Id, TimeSpan Delay, string Error, bool Outage);

/// <summary>
/// The parse side's SQL: claim due requests (SKIP LOCKED, with a lease), and store a batch's events in the same
/// statement that marks their requests done. Hand-written because each is one round trip over arrays.
/// </summary>
internal sealed class EventStore(NpgsqlDataSource dataSource, IIdGenerator ids, WebhookMetrics metrics) : IEventStore
{
    // The events' columns, their unnest and their parameters come from one map ($1..$n); a statement's own
    // parameters are numbered after them.
    private static readonly ColumnMap<Event> EventMap = EventColumns.Map;
    private static readonly string InsertEvents = $"INSERT INTO events ({EventMap.Names})";
    private static readonly int FirstRequestParameter = EventMap.ParameterCount + 1;

    private static readonly string EventIdsTaken = EventColumns.IdsTaken;

    // What each finished request ends with: its id, for one that became an ERROR event why (kept as last_error), and
    // its status: DONE, or FAILED when given up after its retry limit (replay takes either).
    private static readonly ColumnMap<CompletedRequest> Outcomes = new(
        "webhook_requests",
        new Column<CompletedRequest, long>("id", NpgsqlDbType.Bigint, r => r.Id),
        new Column<CompletedRequest, string?>("error", NpgsqlDbType.Text, r => r.Error is null ? null : Truncate(r.Error)),
        new Column<CompletedRequest, string>("status", NpgsqlDbType.Text, r => r.GaveUp ? RequestStatus.Failed : RequestStatus.Done));

    private static readonly ColumnMap<RetriedRequest> Retries = new(
        "webhook_requests",
        new Column<RetriedRequest, long>("id", NpgsqlDbType.Bigint, r => r.Id),
        new Column<RetriedRequest, double>("delay", NpgsqlDbType.Double, r => r.Delay.TotalSeconds),
        new Column<RetriedRequest, string>("error", NpgsqlDbType.Text, r => Truncate(r.Error)),
        new Column<RetriedRequest, bool>("outage", NpgsqlDbType.Boolean, r => r.Outage));

    // The lease (next_attempt_at moved ahead) lets a crashed worker's requests be claimed again once it expires.
    private const string ClaimSql = """
        WITH claimed AS (
            UPDATE webhook_requests r
            SET attempts = r.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
            FROM (SELECT id FROM webhook_requests
                  WHERE status = 'PENDING' AND next_attempt_at <= now()
                  ORDER BY next_attempt_at, id LIMIT $1
                  FOR UPDATE SKIP LOCKED) c
            WHERE r.id = c.id
            RETURNING r.id, r.webhook_ref, r.attempts, r.received_at, r.payload
        )
        SELECT c.id, c.attempts, c.received_at, c.payload::text, w.id, w.webhook_id, w.name, w.project_id, w.domain_id,
               w.plugin_id, w.plugin_version, w.plugin_options::text, w.plugin_metadata::text, w.upgrade_mode
        FROM claimed c JOIN webhooks w ON w.id = c.webhook_ref
        ORDER BY c.id
        """;

    // Events go in only for requests this very statement moved from PENDING to DONE, so a request parsed twice
    // (a lease that expired under a slow worker) still gets its events once: the second statement's UPDATE waits
    // for the first's row lock, then finds the request DONE. On an id clash nothing changes and the caller retries.
    // It answers whether ids clashed and what it really inserted, by type and severity, for the events-stored
    // metric (data-modifying CTEs run in full whether or not the final SELECT reads them).
    // status is DONE, or FAILED for a request given up after its retry limit (replay can take either).
    private static readonly string CompleteSql = $"""
        WITH clash AS (
            SELECT {EventIdsTaken} AS taken
        ), done AS (
            UPDATE webhook_requests r SET status = d.status, processed_at = now(), last_error = d.error
            FROM {Outcomes.Unnest("d", FirstRequestParameter)}, clash
            WHERE r.id = d.id AND r.status = 'PENDING' AND NOT clash.taken
            RETURNING r.id, r.webhook_ref, d.error
        ), inserted AS (
            {InsertEvents}
            SELECT {EventMap.Values("e")}
            FROM {EventMap.Unnest("e")}
            JOIN done ON done.id = e.request_id
            RETURNING event_type, severity
        ), errors AS (
            UPDATE webhooks w SET requests_error = w.requests_error + c.n
            FROM (SELECT webhook_ref, count(*) AS n FROM done WHERE error IS NOT NULL GROUP BY webhook_ref) c
            WHERE w.id = c.webhook_ref
            RETURNING 1
        )
        SELECT c.taken, i.event_type, i.severity, i.n
        FROM clash c LEFT JOIN (SELECT event_type, severity, count(*) AS n FROM inserted GROUP BY 1, 2) i ON true
        """;

    // An outage gives the claim's try back: only failures of the request itself count towards ParseMaxAttempts.
    private static readonly string RetrySql = $"""
        UPDATE webhook_requests r SET next_attempt_at = now() + make_interval(secs => f.delay), last_error = f.error,
                                      attempts = CASE WHEN f.outage THEN greatest(r.attempts - 1, 0) ELSE r.attempts END
        FROM {Retries.Unnest("f")}
        WHERE r.id = f.id AND r.status = 'PENDING'
        """;

    // The delete reads the outcomes' ids ($1) too.
    private static readonly string ReplaceSql = $"""
        WITH removed AS (
            DELETE FROM events WHERE request_id = ANY($1::bigint[])
        )
        UPDATE webhook_requests r SET status = d.status, processed_at = now(), last_error = d.error
        FROM {Outcomes.Unnest("d")}
        WHERE r.id = d.id
        """;

    private static readonly string ReplaceInsertSql = $"""
        {InsertEvents}
        SELECT {EventMap.Values("e")}
        FROM {EventMap.Unnest("e")}
        WHERE NOT {EventIdsTaken}
        """;

    public async Task<List<ClaimedRequest>> ClaimAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(ClaimSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = lease.TotalSeconds, NpgsqlDbType = NpgsqlDbType.Double });
        var claimed = new List<ClaimedRequest>();
        var webhooks = new Dictionary<long, WebhookContext>();
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var webhookRef = reader.GetInt64(4);
            if (!webhooks.TryGetValue(webhookRef, out var webhook))
            {
                webhook = new WebhookContext(
                    webhookRef,
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetString(7),
                    reader.GetString(8),
                    new PluginBinding(
                        reader.GetString(9),
                        reader.GetString(10),
                        ParseJson(reader.GetString(11)),
                        ParseJson(reader.GetString(12)),
                        Enum.Parse<UpgradeMode>(reader.GetString(13))));
                webhooks[webhookRef] = webhook;
            }

            // Read one by one: a payload stored deeper than the limit (before the receiver kept such bodies as text)
            // becomes that request's ERROR event instead of failing the whole batch.
            var (payload, unreadable) = ReadPayload(reader.GetString(3));
            claimed.Add(new ClaimedRequest(
                reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), payload, unreadable, webhook));
        }

        return claimed;
    }

    /// <summary>Gives claimed requests back at once (a stopping worker), instead of letting their lease run out.</summary>
    public async Task ReleaseAsync(IEnumerable<long> requestIds)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE webhook_requests SET next_attempt_at = now(), attempts = greatest(attempts - 1, 0) WHERE id = ANY($1) AND status = 'PENDING'",
            connection);
        command.Parameters.Add(Array(requestIds.ToArray(), NpgsqlDbType.Bigint));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stores the upgrade an AUTO webhook just made, unless someone changed its plugin meanwhile.</summary>
    public async Task SaveUpgradeAsync(long webhookRef, string fromVersion, PluginBinding upgraded, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "UPDATE webhooks SET plugin_version = $1, plugin_metadata = $2 WHERE id = $3 AND plugin_version = $4", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = upgraded.Version, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = upgraded.Metadata.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookRef, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = fromVersion, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One round trip: events stored, requests done, errors counted; plus the retries' new due times. When PostgreSQL
    /// refuses one request's events (e.g. text it cannot hold), the others are stored one request per transaction
    /// and the refused ones are returned with the reason, for the caller to store as ERROR events.
    /// </summary>
    public async Task<IReadOnlyList<(CompletedRequest Request, string Reason)>> CompleteAsync(
        IReadOnlyList<CompletedRequest> completed, IReadOnlyList<RetriedRequest> retried, CancellationToken cancellationToken)
    {
        try
        {
            await CompleteBatchAsync(completed, retried, cancellationToken);
            return [];
        }
        catch (PostgresException e) when (IsRefusedContent(e) && completed.Count > 0)
        {
            await CompleteBatchAsync([], retried, cancellationToken);
            var refused = new List<(CompletedRequest, string)>();
            foreach (var one in completed)
            {
                try
                {
                    await CompleteBatchAsync([one], [], cancellationToken);
                }
                catch (PostgresException alone) when (IsRefusedContent(alone))
                {
                    refused.Add((one, $"Its events could not be stored: {alone.MessageText}"));
                }
            }

            return refused;
        }
    }

    /// <summary>Data PostgreSQL will not hold (class 22: bad text, \u0000 in jsonb) or past its limits (class 54).</summary>
    private static bool IsRefusedContent(PostgresException e) =>
        e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("54", StringComparison.Ordinal);

    private async Task CompleteBatchAsync(
        IReadOnlyList<CompletedRequest> completed, IReadOnlyList<RetriedRequest> retried, CancellationToken cancellationToken)
    {
        var events = completed.SelectMany(c => c.Events).ToList();
        var stored = new List<(string EventType, string Severity, long Count)>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            await using var batch = new NpgsqlBatch(connection);
            if (completed.Count > 0)
            {
                var command = new NpgsqlBatchCommand(CompleteSql);
                EventMap.AddParameters(command.Parameters, events);
                Outcomes.AddParameters(command.Parameters, completed);
                batch.BatchCommands.Add(command);
            }

            if (retried.Count > 0 && attempt == 1)
            {
                var command = new NpgsqlBatchCommand(RetrySql);
                Retries.AddParameters(command.Parameters, retried);
                batch.BatchCommands.Add(command);
            }

            if (batch.BatchCommands.Count == 0)
            {
                return;
            }

            // The first command (the events') answers whether a new event id clashed and what it stored; the batch
            // runs whole either way.
            var clash = false;
            stored.Clear();
            // Prepared explicitly (once per connection; see InfrastructureRegistration): a plugin's event PostgreSQL
            // refuses while binding must not leave the connection out of step.
            await batch.PrepareAsync(cancellationToken);
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                while (completed.Count > 0 && await reader.ReadAsync(cancellationToken))
                {
                    clash |= reader.GetBoolean(0);
                    if (!reader.IsDBNull(1))
                    {
                        stored.Add((reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
                    }
                }
            }

            if (!clash)
            {
                break;
            }

            GiveFreshIds(events, attempt);
        }

        foreach (var (eventType, severity, count) in stored)
        {
            metrics.EventsStored(eventType, severity, count);
        }
    }

    /// <summary>
    /// Replay: in one transaction, replaces every event the given (already parsed) requests produced.
    /// Locks the requests first so two replays of the same range run one after the other.
    /// </summary>
    private const string AuditInsertSql = """
        INSERT INTO audit_log (audit_id, created_at, sub, action, route, domain_id, project_id, webhook_id, changes)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """;

    public async Task ReplaceAsync(IReadOnlyList<CompletedRequest> reparsed, AuditEntry audit, CancellationToken cancellationToken)
    {
        var events = reparsed.SelectMany(c => c.Events).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockRequests = new NpgsqlCommand(
                             "SELECT id FROM webhook_requests WHERE id = ANY($1) ORDER BY id FOR UPDATE", connection, transaction))
            {
                lockRequests.Parameters.Add(Array(reparsed.Select(r => r.Id).ToArray(), NpgsqlDbType.Bigint));
                await lockRequests.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var batch = new NpgsqlBatch(connection, transaction);
            var replace = new NpgsqlBatchCommand(ReplaceSql);
            Outcomes.AddParameters(replace.Parameters, reparsed);
            batch.BatchCommands.Add(replace);
            var insert = new NpgsqlBatchCommand(ReplaceInsertSql);
            EventMap.AddParameters(insert.Parameters, events);
            batch.BatchCommands.Add(insert);
            batch.BatchCommands.Add(AuditInsert(audit));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            if (insert.RecordsAffected == events.Count)
            {
                await transaction.CommitAsync(cancellationToken);
                foreach (var group in events.CountBy(e => (e.EventType, e.Severity)))
                {
                    metrics.EventsStored(group.Key.EventType, group.Key.Severity, group.Value);
                }

                return;
            }

            await transaction.RollbackAsync(cancellationToken);
            GiveFreshIds(events, attempt);
        }
    }

    private static NpgsqlBatchCommand AuditInsert(AuditEntry audit)
    {
        var command = new NpgsqlBatchCommand(AuditInsertSql);
        command.Parameters.Add(new NpgsqlParameter { Value = audit.AuditId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.Sub, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.Action, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.Route, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.DomainId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.ProjectId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.WebhookId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = audit.Changes, NpgsqlDbType = NpgsqlDbType.Jsonb });
        return command;
    }

    /// <summary>Event ids are random (48 bits): on the rare clash with a stored one, nothing was stored; try new ones.</summary>
    private void GiveFreshIds(List<Event> events, int attempt)
    {
        if (attempt >= 5)
        {
            throw new InvalidOperationException($"New event ids clashed with stored ones {attempt} times in a row.");
        }

        foreach (var @event in events)
        {
            @event.ReplaceEventId(ids.NewEventId());
        }
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] : text;

    private static (JsonElement Payload, string? Unreadable) ReadPayload(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = Json.MaxDepth });
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (default, $"The payload is JSON nested deeper than {Json.MaxDepth} levels; it was not sent to the plugin.");
        }
    }

    private static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
