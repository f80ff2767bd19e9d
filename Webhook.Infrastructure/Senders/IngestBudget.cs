using Microsoft.Extensions.Options;

namespace Webhook.Infrastructure.Senders;

/// <summary>
/// The bytes held in memory for requests not yet stored (bodies being read included), bounded by
/// <c>Webhook:MaxBufferedBytes</c>: many slow senders cannot make the process hold more, they get 503 instead.
/// </summary>
public sealed class IngestBudget(IOptions<WebhookOptions> options)
{
    private readonly long _limit = options.Value.MaxBufferedBytes;
    private long _held;
    private long _peak;

    /// <summary>Bytes held right now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>The most ever held at once (tests and metrics).</summary>
    public long Peak => Interlocked.Read(ref _peak);

    public long Limit => _limit;

    /// <summary>A request's share of the budget; grows as its body arrives and is given back on dispose.</summary>
    public Reservation Open() => new(this);

    private bool TryTake(long bytes)
    {
        while (true)
        {
            var held = Interlocked.Read(ref _held);
            if (held + bytes > _limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _held, held + bytes, held) == held)
            {
                UpdatePeak(held + bytes);
                return true;
            }
        }
    }

    private void Give(long bytes) => Interlocked.Add(ref _held, -bytes);

    private void UpdatePeak(long value)
    {
        var peak = Interlocked.Read(ref _peak);
        while (value > peak && Interlocked.CompareExchange(ref _peak, value, peak) != peak)
        {
            peak = Interlocked.Read(ref _peak);
        }
    }

    public sealed class Reservation(IngestBudget budget) : IDisposable
    {
        private long _bytes;

        /// <summary>Makes this request hold <paramref name="total"/> bytes; false (nothing changed) when over budget.</summary>
        public bool TryHold(long total)
        {
            if (total <= _bytes)
            {
                return true;
            }

            if (!budget.TryTake(total - _bytes))
            {
                return false;
            }

            _bytes = total;
            return true;
        }

        public void Dispose()
        {
            budget.Give(_bytes);
            _bytes = 0;
        }
    }
}
