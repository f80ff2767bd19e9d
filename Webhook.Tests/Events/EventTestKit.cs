using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Webhook.Tests.Events;

/// <summary>Posting to webhook URLs and waiting (with a deadline) for the background worker.</summary>
internal static class EventTestKit
{
    public const string PrometheusPlugin = "plugin-prometheus-mon-webhook";

    public static readonly string AlertmanagerTwoFiring = Payload("prometheus/alertmanager-2-firing-critical.json");

    public static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    /// <summary>The receive route of a webhook, relative to the API (webhook_url holds the test server's host).</summary>
    public static string EventsPath(JsonObject webhook) => new Uri((string)webhook["webhook_url"]!).AbsolutePath;

    public static string Id(JsonObject webhook) => (string)webhook["webhook_id"]!;

    public static string Key(JsonObject webhook) => (string)webhook["access_key"]!;

    public static Task<HttpResponseMessage> PostEventAsync(
        this HttpClient client, JsonObject webhook, string body, string contentType = "application/json") =>
        client.PostAsync(EventsPath(webhook), new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Polls until <paramref name="condition"/> holds; fails after the deadline with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {seconds} s waiting for: {what}");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonArray> EventsOfAsync(this HttpClient client, string domainId, string webhookId)
    {
        var page = await (await client.GetAsync($"/monitoring/v1/events?domain_id={domainId}&webhook_id={webhookId}")).JsonAsync();
        return page["results"]!.AsArray();
    }

    /// <summary>Waits until the webhook has exactly <paramref name="count"/> events and all its requests are parsed.</summary>
    public static async Task<JsonArray> WaitForEventsAsync(
        this HttpClient client, TestDatabase database, string domainId, string webhookId, int count, double seconds = 10)
    {
        await WaitUntilAsync(
            async () => await PendingAsync(database, webhookId) == 0 && (await client.EventsOfAsync(domainId, webhookId)).Count >= count,
            $"{count} events of {webhookId}",
            seconds);
        var events = await client.EventsOfAsync(domainId, webhookId);
        Assert.Equal(count, events.Count);
        return events;
    }

    public static Task<long> RequestsAsync(TestDatabase database, string webhookId) =>
        database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_requests r JOIN webhooks w ON w.id = r.webhook_ref WHERE w.webhook_id = $1", webhookId);

    public static Task<long> PendingAsync(TestDatabase database, string webhookId) =>
        database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_requests r JOIN webhooks w ON w.id = r.webhook_ref WHERE w.webhook_id = $1 AND r.status = 'PENDING'",
            webhookId);

    public static async Task<JsonObject> WebhookAsync(this HttpClient client, string domainId, string webhookId) =>
        await (await client.GetAsync($"/monitoring/v1/webhook/{webhookId}?domain_id={domainId}")).JsonAsync();
}

/// <summary>Keeps every formatted log line (with its category, structured values, scopes and exception) for assertions.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Structured(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
        ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
        : "";

    private sealed class Logger(string category, CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new StringBuilder();
            provider._scopes.ForEachScope((scope, text) => text.Append($" [{scope} {Structured(scope)}]"), scopes);
            provider.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {Structured(state)}{scopes} {exception}");
        }
    }
}
