using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Webhook.Api.Telemetry;
using Webhook.Infrastructure.Telemetry;
using Webhook.Tests.Events;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Telemetry;

// Its own API and database: it counts metrics that other tests' traffic would blur.
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(ApiFixture api)
{
    private const string ReceiverRoute = "/monitoring/v1/webhook/{webhook_id}/{access_key}/events";

    [Fact]
    public async Task ReceiverRun_LeavesNoAccessKeyInLogsTracesMetricsOrErrors_AndMetricsTellWhatHappened()
    {
        // The fixture's API sets the scene; the test is about what the second host logs, traces and counts.
        var domain = ApiClientExtensions.NewDomain();
        var alerts = await api.Client.CreateWebhookAsync(domain, "alerts", PrometheusPlugin);
        var waiting = await api.Client.CreateWebhookAsync(domain, "waiting", PrometheusPlugin);
        var disabled = await api.Client.CreateWebhookAsync(domain, "disabled", PrometheusPlugin);
        await (await api.Client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(disabled)}/disable", new { domain_id = domain })).JsonAsync();
        // A request received an hour ago that waits for a retry tomorrow: the backlog gauges must see it.
        await api.Database.ScalarAsync<int>(
            """
            INSERT INTO webhook_requests (webhook_ref, domain_id, received_at, payload, status, attempts, next_attempt_at)
            SELECT id, domain_id, now() - interval '1 hour', '{}', 'PENDING', 1, now() + interval '1 day' FROM webhooks WHERE webhook_id = $1
            """,
            Id(waiting));
        var logs = new CapturingLoggerProvider();
        var spans = new LockedCollection<Activity>();
        await using var factory = api.FactoryWith(
            new() { ["Webhook:MaxEventBodyBytes"] = "65536" },
            logs,
            services =>
            {
                // Everything the framework logs (request paths and scopes included), at its most verbose.
                services.PostConfigure<LoggerFilterOptions>(filters =>
                {
                    filters.Rules.Clear();
                    filters.MinLevel = LogLevel.Trace;
                });
                services.AddOpenTelemetry().WithTracing(tracing => tracing.AddWebhookSources().AddInMemoryExporter(spans));
            });
        var receiver = factory.CreateClient();
        var wrongKey = "0123456789abcdef0123456789abcdef";
        var keys = new[] { Key(alerts), Key(waiting), Key(disabled), wrongKey, "not-even-a-key", Key(alerts).ToUpperInvariant() };
        var errors = new List<string>();

        for (var i = 0; i < 3; i++)
        {
            await (await receiver.PostEventAsync(alerts, AlertmanagerTwoFiring)).JsonAsync();
        }

        await (await receiver.PostEventAsync(alerts, """{"not": "alertmanager"}""")).JsonAsync();
        errors.Add(await BodyAsync(receiver, $"/monitoring/v1/webhook/{Id(alerts)}/{wrongKey}/events", "{}", HttpStatusCode.Forbidden));
        errors.Add(await BodyAsync(receiver, $"/monitoring/v1/webhook/{Id(alerts)}/not-even-a-key/events", "{}", HttpStatusCode.Forbidden));
        errors.Add(await BodyAsync(receiver, $"/monitoring/v1/webhook/webhook-000000000000/{wrongKey}/events", "{}", HttpStatusCode.Forbidden));
        errors.Add(await BodyAsync(receiver, $"/MONITORING/V1/WEBHOOK/{Id(alerts)}/{Key(alerts).ToUpperInvariant()}/EVENTS", "{}", HttpStatusCode.Forbidden));
        errors.Add(await BodyAsync(receiver, EventsPath(disabled), "{}", HttpStatusCode.BadRequest));
        errors.Add(await BodyAsync(receiver, EventsPath(alerts), new string('x', 70_000), HttpStatusCode.RequestEntityTooLarge));
        await api.Client.WaitForEventsAsync(api.Database, domain, Id(alerts), 7);
        var scrape = new PrometheusText(await receiver.GetStringAsync("/metrics"));
        // The hand-made pending request must not outlive the test (other tests read the backlog).
        await api.Database.ScalarAsync<int>("DELETE FROM webhooks WHERE webhook_id = $1", Id(waiting));

        var lines = logs.Lines.ToList();
        // A snapshot: the worker and the fixture's API keep ending spans while we assert.
        var finished = spans.Select(span => span);
        var spanTexts = finished.Select(SpanText).ToList();
        foreach (var key in keys)
        {
            Assert.DoesNotContain(lines, line => line.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(spanTexts, span => span.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(key, scrape.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(errors, body => body.Contains(key, StringComparison.Ordinal));
        }

        // The paths were recorded, with the key's segment replaced: the checks above did not pass for want of data.
        var redactedPath = $"/monitoring/v1/webhook/{Id(alerts)}/{AccessKeyRedaction.Placeholder}/events";
        Assert.Contains(lines, line => line.Contains(redactedPath, StringComparison.Ordinal) && line.Contains("Request starting", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains($"RequestPath={redactedPath}", StringComparison.Ordinal));
        Assert.Contains(finished, s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == redactedPath
                                    && (string?)s.GetTagItem("http.route") == ReceiverRoute);
        Assert.Contains(finished, s => s.Kind == ActivityKind.Client && ((string?)s.GetTagItem("url.full"))?.StartsWith(api.PluginHostUrl, StringComparison.Ordinal) == true);
        Assert.Contains(finished, s => s.Source.Name == "Npgsql");

        // Labels are bounded: no webhook id or domain ever becomes one.
        Assert.DoesNotContain(domain, scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Id(alerts), scrape.Text, StringComparison.Ordinal);

        Assert.True(scrape.Sum("webhook_requests_received_total", ("outcome", "accepted")) >= 4);
        Assert.True(scrape.Sum("webhook_requests_received_total", ("outcome", "denied")) >= 4);
        Assert.True(scrape.Sum("webhook_requests_received_total", ("outcome", "disabled")) >= 1);
        Assert.True(scrape.Sum("webhook_requests_received_total", ("outcome", "too_large")) >= 1);
        Assert.True(scrape.Sum("webhook_ingest_batch_size_count") >= 1);
        Assert.True(scrape.Sum("webhook_ingest_batch_size_sum") >= 9);
        // Gauges are read from this host's own meter. OpenTelemetry listens to meters by name across the process, so
        // the scrape also holds the same gauges of every other test host running in parallel (their queues, their
        // databases' backlogs), merged last-value-wins into one series: the scrape shows they are exported, the
        // scoped reads show their values.
        foreach (var gauge in new[] { "webhook_ingest_queue_depth", "webhook_ingest_queue_size_bytes", "webhook_requests_pending", "webhook_requests_pending_oldest_age_seconds" })
        {
            Assert.True(scrape.Has(gauge), gauge);
        }

        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        Assert.Equal(0, ObserveOnce<long>(meters, "webhook.ingest.queue.depth"));
        Assert.Equal(0, ObserveOnce<long>(meters, "webhook.ingest.queue.size"));
        Assert.True(ObserveOnce<long>(meters, "webhook.requests.pending") >= 1);
        Assert.True(ObserveOnce<double>(meters, "webhook.requests.pending.oldest_age") >= 3600);
        Assert.True(scrape.Sum("webhook_plugin_call_duration_seconds_count",
            ("plugin_id", PrometheusPlugin), ("operation", "parse"), ("outcome", "ok")) >= 3);
        Assert.True(scrape.Sum("webhook_plugin_call_duration_seconds_count",
            ("plugin_id", PrometheusPlugin), ("operation", "parse"), ("outcome", "rejected")) >= 1);
        Assert.True(scrape.Sum("webhook_plugin_call_duration_seconds_sum", ("plugin_id", PrometheusPlugin)) > 0);
        Assert.True(scrape.Sum("webhook_parse_outcomes_total", ("outcome", "parsed")) >= 3);
        Assert.True(scrape.Sum("webhook_parse_outcomes_total", ("outcome", "error")) >= 1);
        Assert.True(scrape.Sum("webhook_events_stored_total", ("event_type", "ALERT"), ("severity", "CRITICAL")) >= 6);
        Assert.True(scrape.Sum("webhook_events_stored_total", ("event_type", "ERROR"), ("severity", "ERROR")) >= 1);
        Assert.True(scrape.Sum("http_server_request_duration_seconds_count", ("http_route", ReceiverRoute)) >= 10);
        Assert.True(scrape.Has("dotnet_"), "runtime metrics");
        Assert.True(scrape.Has("db_client_"), "Npgsql metrics");
    }

    private static T ObserveOnce<T>(IMeterFactory meters, string instrument)
        where T : struct
    {
        using var collector = new MetricCollector<T>(meters, WebhookMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        return Assert.Single(collector.GetMeasurementSnapshot()).Value;
    }

    private static async Task<string> BodyAsync(HttpClient client, string path, string body, HttpStatusCode expected)
    {
        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text + string.Join(" ", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}={string.Join(",", h.Value)}"));
    }

    private static string SpanText(Activity span) =>
        $"{span.DisplayName} {span.OperationName} {span.StatusDescription} "
        + string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
        + string.Join(" ", span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")))
        + string.Join(" ", span.Baggage.Select(b => $"{b.Key}={b.Value}"));

    /// <summary>The in-memory exporter adds from whichever thread ends a span (requests, worker loops).</summary>
    private sealed class LockedCollection<T> : Collection<T>
    {
        private readonly Lock _gate = new();

        public bool Any(Func<T, bool> predicate)
        {
            lock (_gate)
            {
                return Items.Any(predicate);
            }
        }

        public List<TResult> Select<TResult>(Func<T, TResult> selector)
        {
            lock (_gate)
            {
                return Items.Select(selector).ToList();
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "telemetry";
}
