using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Webhook.Infrastructure.Retention;

/// <summary>What one maintenance run did.</summary>
internal sealed record MaintenanceResult(IReadOnlyList<string> DroppedPartitions, long DeletedRequests, long DeletedDefaultEvents);

/// <summary>
/// Keeps storage bounded: makes monthly event partitions ahead of time, drops event partitions whose whole month is
/// past <see cref="RetentionOptions.EventRetentionDays"/>, and deletes expired raw requests (never a pending one) in
/// small batches. Every replica runs it; each step is safe to run twice at once (partitions are made under an
/// advisory lock, dropped with IF EXISTS, deletes skip what is gone).
/// </summary>
internal sealed partial class StorageMaintenance(
    NpgsqlDataSource dataSource,
    TimeProvider time,
    IOptions<RetentionOptions> options,
    ILogger<StorageMaintenance> logger) : BackgroundService
{
    private const string EnsurePartitionSql = "SELECT webhook_events_partition($1)";

    private const string PartitionsSql = """
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'events'::regclass
        """;

    // Oldest first through ix_webhook_requests_received; a pending request is the worker's, whatever its age.
    private const string DeleteRequestsSql = """
        DELETE FROM webhook_requests WHERE id IN (
            SELECT id FROM webhook_requests WHERE received_at < $1 AND status <> 'PENDING'
            ORDER BY received_at LIMIT $2)
        """;

    // DEFAULT holds only what fell outside every monthly partition (normally nothing), so it is trimmed row-wise.
    private const string DeleteDefaultEventsSql = """
        DELETE FROM events_default WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM events_default WHERE created_at < $1 LIMIT $2))
        """;

    private readonly RetentionOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync(
            async ct =>
            {
                var result = await RunOnceAsync(ct);
                if (result.DroppedPartitions.Count > 0 || result.DeletedRequests > 0 || result.DeletedDefaultEvents > 0)
                {
                    LogRemoved(string.Join(", ", result.DroppedPartitions), result.DeletedRequests, result.DeletedDefaultEvents);
                }

                return false;
            },
            ct => Task.Delay(TimeSpan.FromMinutes(_options.IntervalMinutes), time, ct),
            e => LogFailed(e.GetType().Name, e.Message),
            LogUnexpected,
            stoppingToken);

    /// <summary>One pass: partitions ahead, expired partitions dropped, expired requests deleted.</summary>
    internal async Task<MaintenanceResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await EnsurePartitionsAsync(now, cancellationToken);
        var eventCutoff = now.AddDays(-_options.EventRetentionDays);
        var dropped = await DropExpiredPartitionsAsync(eventCutoff, cancellationToken);
        var defaultEvents = await DeleteInBatchesAsync(DeleteDefaultEventsSql, eventCutoff, cancellationToken);
        var requests = await DeleteInBatchesAsync(DeleteRequestsSql, now.AddDays(-_options.RawRequestRetentionDays), cancellationToken);
        return new MaintenanceResult(dropped, requests, defaultEvents);
    }

    private async Task EnsurePartitionsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var thisMonth = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        for (var ahead = 0; ahead <= _options.PartitionMonthsAhead; ahead++)
        {
            await using var command = dataSource.CreateCommand(EnsurePartitionSql);
            command.Parameters.Add(new NpgsqlParameter { Value = thisMonth.AddMonths(ahead), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A monthly partition goes once its last instant is older than the cutoff; DEFAULT never goes.</summary>
    private async Task<List<string>> DropExpiredPartitionsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var expired = new List<string>();
        await using (var list = dataSource.CreateCommand(PartitionsSql))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (MonthOf(name) is { } month && month.AddMonths(1) <= cutoff)
                {
                    expired.Add(name);
                }
            }
        }

        foreach (var name in expired.Order(StringComparer.Ordinal))
        {
            // The name matched MonthlyPartition (letters, digits, underscores), so it is safe as an identifier.
            await using var drop = dataSource.CreateCommand($"DROP TABLE IF EXISTS {name}");
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return expired;
    }

    private async Task<long> DeleteInBatchesAsync(string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = _options.DeleteBatchSize, NpgsqlDbType = NpgsqlDbType.Integer });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < _options.DeleteBatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>The UTC month a partition named by webhook_events_partition holds (events_2026_12), else null.</summary>
    internal static DateTimeOffset? MonthOf(string partition)
    {
        var match = MonthlyPartition().Match(partition);
        return match.Success
            ? new DateTimeOffset(
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 1, 0, 0, 0, TimeSpan.Zero)
            : null;
    }

    [GeneratedRegex("^events_([0-9]{4})_(0[1-9]|1[0-2])$")]
    private static partial Regex MonthlyPartition();

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention removed event partitions [{Partitions}], {Requests} raw requests and {DefaultEvents} events from the default partition")]
    private partial void LogRemoved(string partitions, long requests, long defaultEvents);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage maintenance failed unexpectedly; next run retries")]
    private partial void LogUnexpected(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage maintenance could not reach the database ({Error}): {Message}; next run retries")]
    private partial void LogFailed(string error, string message);
}
