using Npgsql;

namespace Webhook.Infrastructure;

/// <summary>
/// The loop of a background service that works against the database: a turn, then a wait, until the host stops. A
/// turn answers whether more work is waiting (then the next one starts at once). A database failure is logged and
/// tried again after the wait; any other failure is logged too and never ends the loop, as an exception out of a
/// BackgroundService would stop the whole host.
/// </summary>
internal static class BackgroundLoop
{
    public static async Task RunAsync(
        Func<CancellationToken, Task<bool>> turn,
        Func<CancellationToken, Task> wait,
        Action<Exception> databaseFailed,
        Action<Exception> unexpected,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await turn(stoppingToken))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                databaseFailed(e);
            }
            catch (Exception e)
            {
                unexpected(e);
            }

            try
            {
                await wait(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
