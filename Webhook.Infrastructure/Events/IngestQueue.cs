using System.Threading.Channels;

namespace Webhook.Infrastructure.Events;

/// <summary>A raw request the receiver read and encoded, waiting to be authenticated and stored.</summary>
/// <param name="AccessKey">The key from the URL as UTF-8 bytes, compared in constant time by the writer.</param>
/// <param name="HeadersJson">A JSON object of the headers a parser may need.</param>
/// <param name="PayloadJson">The body as a JSON value (a JSON string for non-JSON bodies).</param>
public sealed record IncomingRequest(
    string WebhookId,
    byte[] AccessKey,
    DateTimeOffset ReceivedAt,
    string ContentType,
    string HeadersJson,
    string PayloadJson);

public enum IngestOutcome
{
    /// <summary>Committed to PostgreSQL: answer 200.</summary>
    Accepted,

    /// <summary>No such webhook, or the wrong key: the same answer for both.</summary>
    Denied,

    /// <summary>The key is right but the webhook is disabled.</summary>
    Disabled,

    /// <summary>The database failed or the service is shutting down: nothing was acknowledged.</summary>
    Unavailable,
}

/// <summary>
/// The hand-off between the receiver and the <see cref="IngestWriter"/>: concurrent requests queue here and are
/// stored by one statement per batch. One lane per writer, chosen by webhook, so two writers never count the same
/// webhook at once (no row-lock waits or deadlocks on <c>requests_total</c>). Bounded, so an overwhelmed writer
/// turns into fast 503s instead of unbounded memory and latency.
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<PendingIngest>[] _lanes;
    private long _bytes;

    public IngestQueue(Microsoft.Extensions.Options.IOptions<WebhookOptions> options)
    {
        var lanes = options.Value.IngestWriters;
        _lanes = Enumerable.Range(0, lanes)
            .Select(_ => Channel.CreateBounded<PendingIngest>(new BoundedChannelOptions(Math.Max(options.Value.IngestQueueCapacity / lanes, 1))
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            }))
            .ToArray();
    }

    internal int Lanes => _lanes.Length;

    /// <summary>Requests waiting for a writer, all lanes together.</summary>
    public int Depth => _lanes.Sum(lane => lane.Reader.Count);

    /// <summary>Memory the waiting requests hold (their payload and headers).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Waits until the lane has something to take (false once the queue is closed and drained).</summary>
    internal ValueTask<bool> WaitToTakeAsync(int lane, CancellationToken cancellationToken) =>
        _lanes[lane].Reader.WaitToReadAsync(cancellationToken);

    internal bool TryTake(int lane, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out PendingIngest item)
    {
        if (!_lanes[lane].Reader.TryRead(out item))
        {
            return false;
        }

        Interlocked.Add(ref _bytes, -item.Bytes);
        return true;
    }

    /// <summary>Null when the queue is full (or closed): the caller answers 503 at once.</summary>
    public Task<IngestOutcome>? TryEnqueue(IncomingRequest request)
    {
        var pending = new PendingIngest(request);
        var lane = _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(request.WebhookId) % (uint)_lanes.Length)];
        // Counted before the write so a writer that takes it at once never drives the total below zero.
        Interlocked.Add(ref _bytes, pending.Bytes);
        if (lane.Writer.TryWrite(pending))
        {
            return pending.Completion.Task;
        }

        Interlocked.Add(ref _bytes, -pending.Bytes);
        return null;
    }

    internal void Close()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }
    }
}

internal sealed class PendingIngest(IncomingRequest request)
{
    public IncomingRequest Request { get; } = request;

    /// <summary>What the request holds in memory while it waits: its payload and headers (UTF-16 strings).</summary>
    public long Bytes { get; } = (request.PayloadJson.Length + request.HeadersJson.Length) * (long)sizeof(char);

    public TaskCompletionSource<IngestOutcome> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
