using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Webhook.Plugins.AwsSns;

/// <summary>
/// Fetches SNS signing certificates from allow-listed hosts only, bounded in size and time, and keeps them:
/// SNS signs with a handful of certificates, so nearly every message is verified without a fetch.
/// </summary>
internal sealed partial class SnsCertificateStore(
    IHttpClientFactory httpClientFactory,
    IOptions<AwsSnsOptions> options,
    ILogger<SnsCertificateStore> logger) : IDisposable
{
    // AWS publishes a new certificate under a new URL when it rotates, so a cached one never goes stale;
    // the expiry and the cap only bound what a stream of distinct (allow-listed) URLs can make us hold.
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(24);
    private const int MaxCached = 64;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxCached });

    /// <summary>The certificate at <paramref name="url"/>; throws <see cref="PayloadException"/> when it may not or cannot be had.</summary>
    public async Task<X509Certificate2> GetAsync(string url, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (SnsUrlPolicy.Refusal(url, "SigningCertURL", settings) is { } refusal)
        {
            LogRefused(logger, refusal);
            throw SnsSignature.Failure(refusal);
        }

        // Concurrent messages signed with a new certificate share one fetch. The fetch ignores the callers'
        // tokens (one caller giving up must not fail the others) and has its own time limit.
        var fetch = cache.GetOrCreate(url, entry =>
        {
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return new Lazy<Task<X509Certificate2>>(() => FetchAsync(new Uri(url), settings));
        })!;
        try
        {
            return await fetch.Value.WaitAsync(cancellationToken);
        }
        catch when (fetch.Value.IsFaulted)
        {
            // Failures are not kept: the next message tries again (and replay can re-parse this one).
            cache.Remove(url);
            throw;
        }
    }

    private async Task<X509Certificate2> FetchAsync(Uri url, AwsSnsOptions settings)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.FetchTimeoutSeconds));
        try
        {
            var client = httpClientFactory.CreateClient(AwsSnsServiceCollectionExtensions.HttpClientName);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable(url, $"{url.Host} answered HTTP {(int)response.StatusCode}");
            }

            var pem = await ReadBoundedAsync(response.Content, url, settings.MaxCertificateBytes, timeout.Token);
            var certificate = X509Certificate2.CreateFromPem(pem);
            LogFetched(logger, url.ToString());
            return certificate;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw Unavailable(url, $"{url.Host} did not answer within {settings.FetchTimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(url, $"could not reach {url.Host}: {e.Message}");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Unavailable(url, "the answer is not a PEM certificate");
        }
    }

    private async Task<string> ReadBoundedAsync(HttpContent content, Uri url, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw Unavailable(url, $"the certificate is larger than {maxBytes} bytes");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > maxBytes
            ? throw Unavailable(url, $"the certificate is larger than {maxBytes} bytes")
            : Encoding.ASCII.GetString(buffer, 0, length);
    }

    private PayloadException Unavailable(Uri url, string why)
    {
        LogUnavailable(logger, url.ToString(), why);
        return SnsSignature.Failure($"the signing certificate {url} could not be fetched: {why}");
    }

    public void Dispose() => cache.Dispose();

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "SNS signing certificate fetched from {Url}")]
    private static partial void LogFetched(ILogger logger, string url);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "SNS signing certificate {Url} unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "SNS SigningCertURL refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
