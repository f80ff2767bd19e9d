using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Webhook.Plugins.AwsSns;

internal sealed record ConfirmOutcome(bool Confirmed, string Reason);

/// <summary>Confirms an SNS subscription by fetching its SubscribeURL, if the URL is one we trust.</summary>
internal sealed partial class SnsSubscriptionConfirmer(
    IHttpClientFactory httpClientFactory,
    IOptions<AwsSnsOptions> options,
    ILogger<SnsSubscriptionConfirmer> logger)
{
    public const string HttpClientName = "aws-sns-confirm";

    public async Task<ConfirmOutcome> ConfirmAsync(string? subscribeUrl, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.ConfirmSubscriptions)
        {
            return new ConfirmOutcome(false, "automatic confirmation is switched off (PluginHost:AwsSns:ConfirmSubscriptions); confirm the subscription in the AWS console");
        }

        if (Refusal(subscribeUrl, settings) is { } refusal)
        {
            LogRefused(logger, refusal);
            return new ConfirmOutcome(false, refusal);
        }

        var url = new Uri(subscribeUrl!);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.ConfirmTimeoutSeconds));
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
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
            return new ConfirmOutcome(false, $"{url.Host} did not answer the confirmation request within {settings.ConfirmTimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            LogFailed(logger, url.Host, e.Message);
            return new ConfirmOutcome(false, $"could not reach {url.Host} to confirm: {e.Message}");
        }
    }

    /// <summary>Why a SubscribeURL must not be fetched, or null when it may be.</summary>
    public static string? Refusal(string? subscribeUrl, AwsSnsOptions settings)
    {
        if (string.IsNullOrWhiteSpace(subscribeUrl))
        {
            return "the message has no SubscribeURL";
        }

        if (!Uri.TryCreate(subscribeUrl, UriKind.Absolute, out var url))
        {
            return "SubscribeURL is not an absolute URL";
        }

        var schemeAllowed = url.Scheme == Uri.UriSchemeHttps || (settings.AllowHttp && url.Scheme == Uri.UriSchemeHttp);
        if (!schemeAllowed)
        {
            return $"SubscribeURL scheme '{url.Scheme}' is not allowed (https only)";
        }

        var hostAllowed = settings.EffectiveAllowedHosts.Any(pattern =>
            Regex.IsMatch(url.IdnHost, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        return hostAllowed
            ? null
            : $"SubscribeURL host '{url.IdnHost}' is not an allowed SNS host ({AwsSnsOptions.SectionName}:AllowedSubscribeHosts)";
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "SNS subscription confirmed with {Host}")]
    private static partial void LogConfirmed(ILogger logger, string host);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "SNS subscription not confirmed with {Host}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "SNS SubscribeURL refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

internal static class AwsSnsServiceCollectionExtensions
{
    public static IServiceCollection AddAwsSns(this IServiceCollection services)
    {
        services.AddOptions<AwsSnsOptions>()
            .BindConfiguration(AwsSnsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient(SnsSubscriptionConfirmer.HttpClientName)
            // A redirect could lead anywhere; only the allow-listed URL itself is fetched.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<SnsSubscriptionConfirmer>();
        return services;
    }
}
