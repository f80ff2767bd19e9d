using System.Threading.Channels;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// In-process wake-up for the parse workers: the ingest writer pulses it after each commit, and
/// <see cref="RequestListener"/> on every NOTIFY from any process, so new requests are parsed within milliseconds;
/// polling is the fallback.
/// </summary>
public sealed class EventSignal
{
    private readonly Channel<bool> _pulses = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Pulse() => _pulses.Writer.TryWrite(true);

    /// <summary>Returns when pulsed or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _pulses.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
