using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Webhook.Infrastructure.Events;
using Webhook.Infrastructure.Telemetry;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

/// <summary>
/// Heartbeat: silence raises one ALERT, the next request one RECOVERY. Each test runs its own API (or two) on the
/// shared database with a fake clock; an hour's interval keeps the fixture's API, on the real clock, out of it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HeartbeatTests(ApiFixture api)
{
    private const int Interval = 3600;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private WebhookApiFactory NewApi() =>
        api.FactoryWith([], services: services => services.AddSingleton<TimeProvider>(_clock));

    private static HeartbeatMonitor Monitor(WebhookApiFactory app) => app.Services.GetRequiredService<HeartbeatMonitor>();

    private static async Task<JsonObject> SetHeartbeatAsync(HttpClient client, string domain, string webhookId, int seconds) =>
        await (await client.SendJsonAsync(
            HttpMethod.Put, $"/monitoring/v1/webhook/{webhookId}/heartbeat", new { domain_id = domain, interval_seconds = seconds })).JsonAsync();

    private static async Task<List<JsonObject>> HeartbeatEventsAsync(HttpClient client, string domain, string webhookId)
    {
        var page = await (await client.GetAsync(
            $"/monitoring/v1/events?domain_id={domain}&event_key={webhookId}:heartbeat")).JsonAsync();
        return page["results"]!.AsArray().Select(e => e!.AsObject()).Reverse().ToList();
    }

    /// <summary>
    /// Once the clock passes a deadline the app's own loop and an explicit look may both be at work, and the one that
    /// got the row commits a moment later: wait for the ALERT, then assert.
    /// </summary>
    private static Task WaitForAlertAsync(HttpClient client, string domain, string webhookId) =>
        WaitForAsync(client, domain, webhookId, "ALERT");

    /// <summary>The RECOVERY is written by the app's heartbeat loop, woken by the request that ended the silence.</summary>
    private static Task WaitForRecoveryAsync(HttpClient client, string domain, string webhookId) =>
        WaitForAsync(client, domain, webhookId, "RECOVERY");

    private static Task WaitForAsync(HttpClient client, string domain, string webhookId, string eventType) =>
        WaitUntilAsync(
            async () => (await HeartbeatEventsAsync(client, domain, webhookId)).Any(e => (string)e["event_type"]! == eventType),
            $"the heartbeat {eventType} of {webhookId}");

    private static async Task<JsonObject> HeartbeatOfAsync(HttpClient client, string domain, string webhookId) =>
        (await client.WebhookAsync(domain, webhookId))["heartbeat"]!.AsObject();

    private async Task<(HttpClient Client, string Domain, JsonObject Webhook)> WatchedWebhookAsync(WebhookApiFactory app)
    {
        var client = app.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "watchdog", PrometheusPlugin);
        await SetHeartbeatAsync(client, domain, Id(webhook), Interval);
        return (client, domain, webhook);
    }

    [Fact]
    public async Task SetHeartbeat_AnswersTheWebhookWithItsHeartbeat()
    {
        await using var app = NewApi();
        var client = app.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "watchdog", PrometheusPlugin);

        var answer = await SetHeartbeatAsync(client, domain, Id(webhook), 300);

        Assert.Equal(Id(webhook), (string)answer["webhook_id"]!);
        Assert.Equal("""{"interval_seconds":300,"last_request_at":null,"state":"OK"}""", answer["heartbeat"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(answer, await client.WebhookAsync(domain, Id(webhook))));
    }

    [Fact]
    public async Task Silence_RaisesExactlyOneAlert_AndTheNextRequestExactlyOneRecovery()
    {
        await using var app = NewApi();
        var (client, domain, webhook) = await WatchedWebhookAsync(app);
        _clock.Advance(TimeSpan.FromSeconds(Interval - 1));
        await Monitor(app).CheckAsync(default);
        var beforeDeadline = await HeartbeatEventsAsync(client, domain, Id(webhook));

        _clock.Advance(TimeSpan.FromSeconds(2));
        await Monitor(app).CheckAsync(default);
        await WaitForAlertAsync(client, domain, Id(webhook));
        await Monitor(app).CheckAsync(default);

        Assert.Empty(beforeDeadline);
        var alert = Assert.Single(await HeartbeatEventsAsync(client, domain, Id(webhook)));
        Assert.Equal("ALERT", (string)alert["event_type"]!);
        Assert.Equal("ERROR", (string)alert["severity"]!);
        Assert.Equal($"Webhook 'watchdog' ({Id(webhook)}) received nothing for {Interval} s", (string)alert["title"]!);
        Assert.Equal("SILENT", (string)(await HeartbeatOfAsync(client, domain, Id(webhook)))["state"]!);

        await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        await WaitForRecoveryAsync(client, domain, Id(webhook));
        await Monitor(app).CheckAsync(default);

        var events = await HeartbeatEventsAsync(client, domain, Id(webhook));
        Assert.Equal(["ALERT", "RECOVERY"], events.Select(e => (string)e["event_type"]!));
        Assert.Equal(Id(webhook), (string)events[1]["resource"]!["resource_id"]!);
        var heartbeat = await HeartbeatOfAsync(client, domain, Id(webhook));
        Assert.Equal("OK", (string)heartbeat["state"]!);
        Assert.NotNull((string?)heartbeat["last_request_at"]);
    }

    [Fact]
    public async Task HeartbeatEvents_AreCountedInTheEventsStoredMetric()
    {
        await using var app = NewApi();
        using var stored = new MetricCollector<long>(
            app.Services.GetRequiredService<IMeterFactory>(), WebhookMetrics.MeterName, "webhook.events.stored");
        var (client, domain, webhook) = await WatchedWebhookAsync(app);
        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));
        await Monitor(app).CheckAsync(default);
        await WaitForAlertAsync(client, domain, Id(webhook));
        await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        await WaitForRecoveryAsync(client, domain, Id(webhook));

        long Count(string type, string severity) => stored.GetMeasurementSnapshot()
            .Where(m => (string?)m.Tags["event_type"] == type && (string?)m.Tags["severity"] == severity).Sum(m => m.Value);
        await WaitUntilAsync(() => Task.FromResult(Count("RECOVERY", "INFO") == 1), "the RECOVERY counted");
        Assert.Equal(1, Count("ALERT", "ERROR"));
    }

    [Fact]
    public async Task Silence_TheJobNoticesItOnItsOwn()
    {
        await using var app = NewApi();
        var (client, domain, webhook) = await WatchedWebhookAsync(app);

        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));

        await WaitUntilAsync(async () => (await HeartbeatEventsAsync(client, domain, Id(webhook))).Count == 1, "the job's ALERT");
        Assert.Equal("SILENT", (string)(await HeartbeatOfAsync(client, domain, Id(webhook)))["state"]!);
    }

    [Fact]
    public async Task TwoApis_OnOneDatabase_RaiseEachEventOnce()
    {
        await using var first = NewApi();
        await using var second = NewApi();
        var (client, domain, webhook) = await WatchedWebhookAsync(first);
        var otherClient = second.CreateClient();
        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Monitor(i % 2 == 0 ? first : second).CheckAsync(default)));
        await WaitForAlertAsync(client, domain, Id(webhook));
        await Task.WhenAll(Monitor(first).CheckAsync(default), Monitor(second).CheckAsync(default));
        var alerts = await HeartbeatEventsAsync(client, domain, Id(webhook));
        await Task.WhenAll(
            client.PostEventAsync(webhook, AlertmanagerTwoFiring),
            otherClient.PostEventAsync(webhook, AlertmanagerTwoFiring),
            client.PostEventAsync(webhook, AlertmanagerTwoFiring),
            otherClient.PostEventAsync(webhook, AlertmanagerTwoFiring));
        await WaitForRecoveryAsync(client, domain, Id(webhook));
        await Task.WhenAll(Monitor(first).CheckAsync(default), Monitor(second).CheckAsync(default));

        Assert.Equal(["ALERT"], alerts.Select(e => (string)e["event_type"]!));
        var events = await HeartbeatEventsAsync(client, domain, Id(webhook));
        Assert.Equal(["ALERT", "RECOVERY"], events.Select(e => (string)e["event_type"]!));
        Assert.Equal(4, (long)(await client.WebhookAsync(domain, Id(webhook)))["requests"]!["total"]!);
    }

    [Fact]
    public async Task Recovery_WhileTheEventsTableIsLocked_RequestsAreStillAccepted_AndTheRecoveryFollows()
    {
        await using var app = NewApi();
        var (client, domain, webhook) = await WatchedWebhookAsync(app);
        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));
        await Monitor(app).CheckAsync(default);
        await WaitForAlertAsync(client, domain, Id(webhook));

        await using (var locked = new NpgsqlConnection(api.Database.ConnectionString))
        {
            await locked.OpenAsync();
            await using var held = await locked.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand("LOCK TABLE events IN ACCESS EXCLUSIVE MODE", locked, held))
            {
                await command.ExecuteNonQueryAsync();
            }

            // The first request ends the silence and wakes the job, which finds events locked and lets the webhook
            // go; the second must not wait behind it.
            await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
            Assert.Equal(0, await Monitor(app).CheckAsync(default));
            await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
            Assert.Equal("OK", (string)(await HeartbeatOfAsync(client, domain, Id(webhook)))["state"]!);
            await held.RollbackAsync();
        }

        await Monitor(app).CheckAsync(default);
        await WaitForRecoveryAsync(client, domain, Id(webhook));
        var events = await HeartbeatEventsAsync(client, domain, Id(webhook));
        Assert.Equal(["ALERT", "RECOVERY"], events.Select(e => (string)e["event_type"]!));
        Assert.Equal(2, (long)(await client.WebhookAsync(domain, Id(webhook)))["requests"]!["total"]!);
    }

    [Fact]
    public async Task DisabledWebhook_RaisesNothing_AndDisablingASilentOneEndsItQuietly()
    {
        await using var app = NewApi();
        var (client, domain, quiet) = await WatchedWebhookAsync(app);
        var silent = await client.CreateWebhookAsync(domain, "silent", PrometheusPlugin);
        await SetHeartbeatAsync(client, domain, Id(silent), Interval);
        await Disable(client, domain, Id(quiet));
        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));
        await Monitor(app).CheckAsync(default);
        await WaitForAlertAsync(client, domain, Id(silent));

        await Disable(client, domain, Id(silent));
        var afterDisable = await HeartbeatOfAsync(client, domain, Id(silent));
        await (await client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(silent)}/enable", new { domain_id = domain })).JsonAsync();
        _clock.Advance(TimeSpan.FromSeconds(Interval - 1));
        await Monitor(app).CheckAsync(default);

        Assert.Empty(await HeartbeatEventsAsync(client, domain, Id(quiet)));
        Assert.Equal("OK", (string)(await HeartbeatOfAsync(client, domain, Id(quiet)))["state"]!);
        Assert.Equal("OK", (string)afterDisable["state"]!);
        Assert.Equal(["ALERT"], (await HeartbeatEventsAsync(client, domain, Id(silent))).Select(e => (string)e["event_type"]!));
    }

    [Fact]
    public async Task DeletedWebhook_RaisesNothing()
    {
        await using var app = NewApi();
        var (client, domain, webhook) = await WatchedWebhookAsync(app);
        var control = await WatchedInAsync(client, domain);
        await (await client.DeleteAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}")).JsonAsync();

        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));
        await Monitor(app).CheckAsync(default);
        await WaitForAlertAsync(client, domain, Id(control));

        Assert.Empty(await HeartbeatEventsAsync(client, domain, Id(webhook)));
    }

    [Fact]
    public async Task HeartbeatOff_RaisesNothing()
    {
        await using var app = NewApi();
        var (client, domain, webhook) = await WatchedWebhookAsync(app);
        var control = await WatchedInAsync(client, domain);
        await SetHeartbeatAsync(client, domain, Id(webhook), 0);

        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));
        await Monitor(app).CheckAsync(default);
        await WaitForAlertAsync(client, domain, Id(control));

        Assert.Empty(await HeartbeatEventsAsync(client, domain, Id(webhook)));
    }

    [Fact]
    public async Task HeartbeatState_IsQueryableInSearchAndStat()
    {
        await using var app = NewApi();
        var (client, domain, silent) = await WatchedWebhookAsync(app);
        await client.CreateWebhookAsync(domain, "unwatched", PrometheusPlugin);
        _clock.Advance(TimeSpan.FromSeconds(Interval + 1));
        await Monitor(app).CheckAsync(default);
        await WaitForAlertAsync(client, domain, Id(silent));

        var found = await (await client.PostAsJsonAsync("/monitoring/v1/webhooks/search", new
        {
            domain_id = domain,
            query = new { filter = new[] { new { k = "heartbeat.state", v = "SILENT", o = "eq" } }, only = new[] { "webhook_id", "heartbeat" } },
        })).JsonAsync();
        var stat = await (await client.PostAsJsonAsync("/monitoring/v1/webhooks/stat", new
        {
            domain_id = domain,
            query = new
            {
                aggregate = new object[]
                {
                    new { group = new { keys = new[] { new { key = "heartbeat.state", name = "state" } }, fields = new[] { new { @operator = "count", name = "count" } } } },
                    new { sort = new { key = "state" } },
                },
            },
        })).JsonAsync();

        var only = Assert.Single(found["results"]!.AsArray())!;
        Assert.Equal(Id(silent), (string)only["webhook_id"]!);
        Assert.Equal(Interval, (int)only["heartbeat"]!["interval_seconds"]!);
        Assert.Equal("""[{"state":"OK","count":1},{"state":"SILENT","count":1}]""", stat["results"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"domain_id": "DOMAIN", "interval_seconds": 9}""", "ERROR_INVALID_ARGUMENT", "interval_seconds")]
    [InlineData("""{"domain_id": "DOMAIN", "interval_seconds": 86401}""", "ERROR_INVALID_ARGUMENT", "interval_seconds")]
    [InlineData("""{"domain_id": "DOMAIN", "interval_seconds": -1}""", "ERROR_INVALID_ARGUMENT", "interval_seconds")]
    [InlineData("""{"domain_id": "DOMAIN", "interval_seconds": "60"}""", "ERROR_INVALID_PARAMETER_TYPE", "interval_seconds")]
    [InlineData("""{"domain_id": "DOMAIN"}""", "ERROR_REQUIRED_PARAMETER", "interval_seconds")]
    [InlineData("""{"interval_seconds": 60}""", "ERROR_REQUIRED_PARAMETER", "domain_id")]
    public async Task SetHeartbeat_BadInterval_Returns400_AndChangesNothing(string body, string code, string key)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "checked", PrometheusPlugin);

        var response = await api.Client.SendRawAsync(
            HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/heartbeat", body.Replace("DOMAIN", domain));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Contains(key, (string)problem["detail"]!);
        Assert.Equal(0, (int)(await HeartbeatOfAsync(api.Client, domain, Id(webhook)))["interval_seconds"]!);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(86400)]
    public async Task SetHeartbeat_Bounds_AreAccepted(int seconds)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "bounds", PrometheusPlugin);

        var answer = await SetHeartbeatAsync(api.Client, domain, Id(webhook), seconds);

        Assert.Equal(seconds, (int)answer["heartbeat"]!["interval_seconds"]!);
    }

    [Fact]
    public async Task SetHeartbeat_OtherDomainsWebhook_Returns404()
    {
        var webhook = await api.Client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), "theirs", PrometheusPlugin);

        var response = await api.Client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/heartbeat",
            new { domain_id = ApiClientExtensions.NewDomain(), interval_seconds = 60 });

        await response.ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
    }

    /// <summary>A second watched webhook in the domain: its ALERT shows the job has looked at the domain's webhooks.</summary>
    private static async Task<JsonObject> WatchedInAsync(HttpClient client, string domain)
    {
        var control = await client.CreateWebhookAsync(domain, "control", PrometheusPlugin);
        await SetHeartbeatAsync(client, domain, Id(control), Interval);
        return control;
    }

    private static async Task Disable(HttpClient client, string domain, string webhookId) =>
        await (await client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{webhookId}/disable", new { domain_id = domain })).JsonAsync();
}
