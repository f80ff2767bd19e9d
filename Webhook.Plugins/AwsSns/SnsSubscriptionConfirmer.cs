using Microsoft.Extensions.Options;

namespace Webhook.Plugins.AwsSns;

internal sealed record ConfirmOutcome(bool Confirmed, string Reason);

/// <summary>Confirms an SNS subscription by fetching its SubscribeURL, if the URL is one we trust.</summary>
internal sealed partial class SnsSubscriptionConfirmer(
    IHttpClientFactory httpClientFactory,
    IOptions<AwsSnsOptions> options,
    ILogger<SnsSubscriptionConfirmer> logger)
{
    public async Task<ConfirmOutcome> ConfirmAsync(string? subscribeUrl, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.ConfirmSubscriptions)
        {
            return new ConfirmOutcome(false, "automatic confirmation is switched off (PluginHost:AwsSns:ConfirmSubscriptions); confirm the subscription in the AWS console");
        }

        if (SnsUrlPolicy.Refusal(subscribeUrl, "SubscribeURL", settings) is { } refusal)
        {
            LogRefused(logger, refusal);
            return new ConfirmOutcome(false, refusal);
        }

        var url = new Uri(subscribeUrl!);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.FetchTimeoutSeconds));
        try
        {
            var client = httpClientFactory.CreateClient(AwsSnsServiceCollectionExtensions.HttpClientName);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                LogConfirmed(logger, url.Host);
                return new ConfirmOutcome(true, $"confirmed with {url.Host}");
            }

            LogFailed(logger, url.Host, $"HTTP {(int)response.StatusCode}");
            return new ConfirmOutcome(false, $"{url.Host} answered HTTP {(int)response.StatusCode} to the confirmation request");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, url.Host, "timeout");
            return new ConfirmOutcome(false, $"{url.Host} did not answer the confirmation request within {settings.FetchTimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            LogFailed(logger, url.Host, e.Message);
            return new ConfirmOutcome(false, $"could not reach {url.Host} to confirm: {e.Message}");
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "SNS subscription confirmed with {Host}")]
    private static partial void LogConfirmed(ILogger logger, string host);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "SNS subscription not confirmed with {Host}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "SNS SubscribeURL refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
