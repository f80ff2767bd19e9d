using System.Threading.Channels;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// An in-process wake-up for a background loop that otherwise polls: pulses fold into one, and a waiter returns
/// at the first pulse or at its timeout.
/// </summary>
public abstract class WakeSignal
{
    private readonly Channel<bool> _pulses = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Pulse() => _pulses.Writer.TryWrite(true);

    /// <summary>
    /// Returns when pulsed or after <paramref name="timeout"/> on <paramref name="time"/> (the system clock when not
    /// given), whichever comes first.
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        using var elapsed = new CancellationTokenSource(timeout, time ?? TimeProvider.System);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, elapsed.Token);
        try
        {
            await _pulses.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// Wakes the parse workers: the ingest writer pulses it after each commit, and <see cref="RequestListener"/> on every
/// NOTIFY from any process, so new requests are parsed within milliseconds; polling is the fallback.
/// </summary>
public sealed class EventSignal : WakeSignal;

/// <summary>
/// Wakes the heartbeat job when the ingest writer has ended a silence, so the RECOVERY event follows the request at
/// once; the job's regular look is the fallback (and serves other processes' requests).
/// </summary>
public sealed class RecoverySignal : WakeSignal;
