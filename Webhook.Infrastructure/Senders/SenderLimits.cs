using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Webhook.Infrastructure.Senders;

/// <summary>How a request's key compares with the keys this process last saw accepted for its webhook.</summary>
public enum KeyStatus
{
    /// <summary>No key of this webhook seen yet (or forgotten): only the writer's database check can tell.</summary>
    Unknown,

    /// <summary>Equals a key the writer accepted for this webhook.</summary>
    Verified,

    /// <summary>The webhook's accepted keys are known and this is none of them.</summary>
    Mismatch,
}

/// <summary>
/// The senders' limits (DESIGN.md "Senders"), built on System.Threading.RateLimiting's partitioned limiters:
/// a token bucket per webhook that only requests with the right key draw from, and a fixed window of denied
/// (403) requests per sender address. The ASP.NET Core middleware cannot be used for the webhook bucket: it
/// decides before the endpoint runs, when nobody knows yet whether the key is right, and a bucket that wrong keys
/// drain would let anyone who knows a webhook id (no secret) throttle it.
/// </summary>
public sealed class SenderLimits : IDisposable
{
    // Verified keys are remembered as SHA-256 digests, two per webhook (a rotated key and its predecessor).
    private const int MaxRememberedWebhooks = 100_000;

    private readonly PartitionedRateLimiter<string> _webhooks;
    private readonly PartitionedRateLimiter<string> _denials;
    private readonly ConcurrentDictionary<string, byte[][]> _verified = new(StringComparer.Ordinal);

    public SenderLimits(IOptions<WebhookOptions> options)
    {
        var o = options.Value;
        _webhooks = PartitionedRateLimiter.Create<string, string>(webhookId => RateLimitPartition.GetTokenBucketLimiter(
            webhookId,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.WebhookRateLimitBurst,
                TokensPerPeriod = o.WebhookRateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        _denials = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.SenderDeniedPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>
    /// Draws one token from the webhook's bucket: call only for a request whose key is right. Null when drawn;
    /// else how long until the bucket has one again.
    /// </summary>
    public TimeSpan? TryTakeWebhookToken(string webhookId) => Acquire(_webhooks, webhookId);

    /// <summary>Counts one denied request of this address. Null while within its allowance; else when to retry.</summary>
    public TimeSpan? TryCountDenial(string address) => Acquire(_denials, address);

    /// <summary>True once the address has spent its allowance of denied requests in the current window.</summary>
    public bool IsOverDenialLimit(string address) => _denials.GetStatistics(address)?.CurrentAvailablePermits <= 0;

    public KeyStatus Check(string webhookId, byte[] accessKey)
    {
        if (!_verified.TryGetValue(webhookId, out var known))
        {
            return KeyStatus.Unknown;
        }

        var digest = SHA256.HashData(accessKey);
        var matches = false;
        foreach (var key in known)
        {
            matches |= CryptographicOperations.FixedTimeEquals(key, digest);
        }

        return matches ? KeyStatus.Verified : KeyStatus.Mismatch;
    }

    /// <summary>The writer found this key right for the webhook (its state aside).</summary>
    public void RememberVerified(string webhookId, byte[] accessKey)
    {
        if (_verified.Count >= MaxRememberedWebhooks)
        {
            // Rare and harmless: forgotten keys only send their next request through the writer's check again.
            _verified.Clear();
        }

        var digest = SHA256.HashData(accessKey);
        _verified.AddOrUpdate(
            webhookId,
            _ => [digest],
            (_, known) => known.Any(k => k.AsSpan().SequenceEqual(digest)) ? known : [digest, known[0]]);
    }

    private static TimeSpan? Acquire(PartitionedRateLimiter<string> limiter, string partition)
    {
        using var lease = limiter.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    public void Dispose()
    {
        _webhooks.Dispose();
        _denials.Dispose();
    }
}
