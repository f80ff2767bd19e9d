using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Webhook.Infrastructure.Events;

/// <summary>A raw request the receiver read and encoded, waiting to be authenticated and stored.</summary>
/// <param name="AccessKey">The key from the URL as UTF-8 bytes, compared in constant time by the writer.</param>
/// <param name="HeadersJson">A JSON object of the headers a parser may need.</param>
/// <param name="PayloadJson">The body as a JSON value (a JSON string for non-JSON bodies).</param>
/// <param name="TokenTaken">The receiver already drew this request's token from the webhook's bucket.</param>
public sealed record IncomingRequest(
    string WebhookId,
    byte[] AccessKey,
    DateTimeOffset ReceivedAt,
    string ContentType,
    string HeadersJson,
    string PayloadJson,
    bool TokenTaken = false);

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

    /// <summary>The webhook is over its rate limit (right key), or has its share of the lane waiting already.</summary>
    RateLimited,
}

/// <summary>
/// The hand-off between the receiver and the <see cref="IngestWriter"/>: concurrent requests queue here and are
/// stored by one statement per batch. One lane per writer, chosen by webhook, so two writers never count the same
/// webhook at once (no row-lock waits or deadlocks on <c>requests_total</c>). Bounded, so an overwhelmed writer
/// turns into fast 503s instead of unbounded memory and latency. One webhook may hold at most a quarter of a lane,
/// so a flooding webhook cannot fill a lane it shares with others; requests whose key the receiver already knows
/// to be right have their own share, so wrong-key traffic cannot crowd out the webhook's real sender.
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<PendingIngest>[] _lanes;
    private readonly ConcurrentDictionary<string, int> _queuedPerWebhook = new(StringComparer.Ordinal);
    private readonly int _maxQueuedPerWebhook;
    private long _bytes;

    public IngestQueue(Microsoft.Extensions.Options.IOptions<WebhookOptions> options)
    {
        var lanes = options.Value.IngestWriters;
        _maxQueuedPerWebhook = Math.Max(options.Value.IngestQueueCapacity / lanes / 4, 1);
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

    /// <summary>
    /// Null when the queue is full (or closed): the caller answers 503 at once. <see cref="IngestOutcome.RateLimited"/>
    /// at once when the webhook already has its share of the lane waiting.
    /// </summary>
    public Task<IngestOutcome>? TryEnqueue(IncomingRequest request)
    {
        var share = request.TokenTaken ? "+" + request.WebhookId : request.WebhookId;
        if (_queuedPerWebhook.AddOrUpdate(share, 1, (_, n) => n + 1) > _maxQueuedPerWebhook)
        {
            Dequeued(share);
            return Task.FromResult(IngestOutcome.RateLimited);
        }

        var pending = new PendingIngest(request);
        var lane = _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(request.WebhookId) % (uint)_lanes.Length)];
        // Counted before the write so a writer that takes it at once never drives the total below zero.
        Interlocked.Add(ref _bytes, pending.Bytes);
        if (!lane.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _bytes, -pending.Bytes);
            Dequeued(share);
            return null;
        }

        return pending.Completion.Task.ContinueWith(
            done =>
            {
                Dequeued(share);
                return done.Result;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Dequeued(string share)
    {
        if (_queuedPerWebhook.AddOrUpdate(share, 0, (_, n) => n - 1) <= 0)
        {
            _queuedPerWebhook.TryRemove(new KeyValuePair<string, int>(share, 0));
        }
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
