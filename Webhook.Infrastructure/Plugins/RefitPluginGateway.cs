using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Refit;
using Webhook.Domain.Events;
using Webhook.Domain.Plugins;
using Webhook.Infrastructure.Telemetry;

namespace Webhook.Infrastructure.Plugins;

/// <summary>
/// Calls plugins through <see cref="IPluginApi"/>. The endpoint differs per webhook, so each call gets a
/// client from the factory (pooled handlers, resilience pipeline) with the endpoint as base address.
/// </summary>
internal sealed partial class RefitPluginGateway(
    IHttpClientFactory httpClientFactory,
    PluginCatalog catalog,
    WebhookMetrics metrics,
    ILogger<RefitPluginGateway> logger)
    : IPluginGateway
{
    public const string HttpClientName = "plugins";

    // The port speaks in endpoints; the latency metric is labelled by the registry's plugin id for that endpoint.
    private readonly Dictionary<string, string> _pluginIds = catalog.All
        .SelectMany(plugin => plugin.Versions.Select(version => (Endpoint: version.Endpoint.AbsoluteUri, plugin.PluginId)))
        .DistinctBy(entry => entry.Endpoint)
        .ToDictionary(entry => entry.Endpoint, entry => entry.PluginId, StringComparer.Ordinal);

    // Built once: the parse worker calls plugins for every stored request, so nothing per call but the client.
    private static readonly RefitSettings Settings = RefitSettings.ForJsonContext(PluginJsonContext.Default);

    public async Task<JsonElement> InitAsync(Uri endpoint, JsonElement options, CancellationToken cancellationToken)
    {
        var response = await CallAsync(endpoint, "init", api => api.InitAsync(new PluginOptionsRequest(options), cancellationToken), cancellationToken);
        return response.Content?.Metadata is { ValueKind: JsonValueKind.Object } metadata
            ? metadata.Clone()
            : Domain.Common.Json.EmptyObject;
    }

    public async Task VerifyAsync(Uri endpoint, JsonElement options, CancellationToken cancellationToken) =>
        await CallAsync(endpoint, "verify", api => api.VerifyAsync(new PluginOptionsRequest(options), cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<EventInfo>> ParseAsync(
        Uri endpoint, JsonElement options, JsonElement data, CancellationToken cancellationToken)
    {
        var response = await CallAsync(endpoint, "parse", api => api.ParseAsync(new PluginParseRequest(options, data), cancellationToken), cancellationToken);
        if (response.Content?.Results is not { ValueKind: JsonValueKind.Array } results)
        {
            throw new PluginRejectedException("Plugin answered parse without a 'results' array.");
        }

        var events = new List<EventInfo>(results.GetArrayLength());
        foreach (var result in results.EnumerateArray())
        {
            if (result.ValueKind != JsonValueKind.Object)
            {
                throw new PluginRejectedException($"Plugin answered parse with a result that is not an object: {result.ValueKind}.");
            }

            events.Add(new EventInfo(
                Text(result, "event_key"),
                Text(result, "event_type"),
                Text(result, "title"),
                Text(result, "description"),
                Text(result, "severity"),
                Element(result, "resource"),
                Text(result, "rule"),
                Text(result, "occurred_at"),
                Element(result, "additional_info"),
                Text(result, "image_url"),
                Text(result, "provider"),
                Text(result, "account")));
        }

        return events;

        static string? Text(JsonElement result, string name) =>
            result.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        static JsonElement? Element(JsonElement result, string name) =>
            result.TryGetProperty(name, out var value) ? value.Clone() : null;
    }

    private async Task<TResponse> CallAsync<TResponse>(
        Uri endpoint, string method, Func<IPluginApi, Task<TResponse>> call, CancellationToken cancellationToken)
        where TResponse : IApiResponse
    {
        var started = Stopwatch.GetTimestamp();
        string? outcome = "unavailable";
        try
        {
            var response = await SendAsync(endpoint, method, call, cancellationToken);
            outcome = "ok";
            return response;
        }
        catch (PluginRejectedException)
        {
            outcome = "rejected";
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = null;
            throw;
        }
        finally
        {
            if (outcome is not null)
            {
                metrics.PluginCall(PluginIdOf(endpoint), method, outcome, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    private string PluginIdOf(Uri endpoint) => _pluginIds.GetValueOrDefault(endpoint.AbsoluteUri, "unregistered");

    private async Task<TResponse> SendAsync<TResponse>(
        Uri endpoint, string method, Func<IPluginApi, Task<TResponse>> call, CancellationToken cancellationToken)
        where TResponse : IApiResponse
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/");
        var api = RestService.ForGenerated<IPluginApi>(client, Settings);

        var response = await call(api);
        if (response.HasRequestError(out var requestError))
        {
            var cause = requestError.InnerException ?? requestError;
            if (cause is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw cause;
            }

            if (TooLarge(requestError) is { } tooLarge)
            {
                throw new PluginRejectedException($"Plugin answered {method} with too much: {tooLarge.Message}");
            }

            LogUnreachable(endpoint, method, cause.GetType().Name);
            throw new PluginUnavailableException(
                $"Plugin did not answer {method}: {Describe(cause)}. (endpoint = {endpoint})", cause, unreachable: cause is HttpRequestException);
        }

        if (response.IsSuccessStatusCode && !response.HasResponseError(out _))
        {
            return response;
        }

        if (TooLarge(response.Error) is { } tooBig)
        {
            throw new PluginRejectedException($"Plugin answered {method} with too much: {tooBig.Message}");
        }

        var status = (int)response.StatusCode!.Value;
        var message = PluginMessage(response) ?? response.ReasonPhrase ?? "no message";
        if (response.IsSuccessStatusCode || status >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            LogFailed(endpoint, method, status);
            var what = response.IsSuccessStatusCode ? "answered what is not valid JSON of the protocol" : $"failed with HTTP {status}";
            throw new PluginUnavailableException($"Plugin {what} on {method}: {Truncate(message)}. (endpoint = {endpoint})");
        }

        throw new PluginRejectedException($"Plugin rejected {method}: {message}");
    }

    /// <summary>The answer-size limit, wherever in the chain Refit and HttpClient wrapped it.</summary>
    private static PluginAnswerTooLargeException? TooLarge(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is PluginAnswerTooLargeException tooLarge)
            {
                return tooLarge;
            }
        }

        return null;
    }

    private static string Truncate(string text) => text.Length > 500 ? text[..500] : text;

    private static string? PluginMessage(IApiResponse response)
    {
        var body = response.HasResponseError(out var error) ? error.Content : null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("message", out var message)
                   && message.ValueKind == JsonValueKind.String
                ? message.GetString()
                : body;
        }
        catch (JsonException)
        {
            return body.Length > 500 ? body[..500] : body;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException => "connection failed",
        OperationCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException => "timed out",
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plugin {Endpoint} unreachable on {Method}: {Error}")]
    private partial void LogUnreachable(Uri endpoint, string method, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plugin {Endpoint} failed {Method} with HTTP {Status}")]
    private partial void LogFailed(Uri endpoint, string method, int status);
}
