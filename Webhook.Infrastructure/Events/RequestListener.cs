using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// Wakes this process's parse workers the moment any process stores a request: the ingest statement NOTIFYs
/// <see cref="Channel"/> and this service LISTENs on a dedicated connection of its own (a pooled one would be handed
/// to others between notifications). When the connection drops (a restart, a failover) it reconnects with backoff and
/// pulses once, since requests may have been stored while nobody listened. Polling stays the fallback either way.
/// </summary>
internal sealed partial class RequestListener(
    IConfiguration configuration,
    EventSignal signal,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    ILogger<RequestListener> logger) : BackgroundService
{
    public const string Channel = "webhook_requests_stored";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ParseWorkerEnabled)
        {
            return;
        }

        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => retry = FirstRetry, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(e.GetType().Name, e.Message, retry.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(retry, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private async Task ListenAsync(Action listening, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(ListenConnectionString());
        connection.Notification += (_, _) => signal.Pulse();
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        listening();
        signal.Pulse();
        while (true)
        {
            // Returns after each notification (the handler above has pulsed); throws when the connection breaks.
            await connection.WaitAsync(stoppingToken);
        }
    }

    /// <summary>Unpooled, with keepalives so a server that vanished without closing the socket is noticed.</summary>
    private string ListenConnectionString() =>
        new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(InfrastructureRegistration.ConnectionStringName))
        {
            Pooling = false,
            KeepAlive = 10,
            ApplicationName = "webhook-listener",
        }.ConnectionString;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Listening for stored requests failed ({Error}: {Message}); workers poll meanwhile, retrying in {RetryMs} ms")]
    private partial void LogListenFailed(string error, string message, double retryMs);
}
