using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhook.Infrastructure.Telemetry;

/// <summary>The parse backlog: how many stored requests wait, and how long the oldest has.</summary>
public sealed record PendingBacklog(long Count, double OldestAgeSeconds);

/// <summary>
/// Reads the parse backlog for the pending gauges at scrape time. Cached for a few seconds so several scrapers (or
/// the two gauges of one scrape) cost one query; synchronous because gauge callbacks are, and Npgsql's sync path is
/// real sync I/O. A failed read reports no value (a gap in the graph) rather than a made-up zero.
/// </summary>
public sealed partial class PendingRequests(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<PendingRequests> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    // Reads only pending rows through the partial index ix_webhook_requests_pending: cost grows with the backlog,
    // not the table. Age is measured by the database's clock, like received_at.
    private const string BacklogSql = """
        SELECT count(*), coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8
        FROM webhook_requests WHERE status = 'PENDING'
        """;

    private readonly Lock _gate = new();
    private PendingBacklog? _last;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public PendingBacklog? Read()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _readAt < CacheFor)
            {
                return _last;
            }

            _readAt = now;
            try
            {
                using var connection = dataSource.OpenConnection();
                using var command = new NpgsqlCommand(BacklogSql, connection) { CommandTimeout = 2 };
                using var reader = command.ExecuteReader();
                reader.Read();
                _last = new PendingBacklog(reader.GetInt64(0), reader.GetDouble(1));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogReadFailed(e.GetType().Name, e.Message);
                _last = null;
            }

            return _last;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the parse backlog for /metrics ({Error}): {Message}")]
    private partial void LogReadFailed(string error, string message);
}
