using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

/// <summary>POST /monitoring/v1/webhook/{id}/test: what a payload becomes, through the real plugin host, storing nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookTestRouteTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    /// <summary>Every sample payload of the standard plugins, with the plugin that understands it.</summary>
    public static TheoryData<string, string> Samples()
    {
        var samples = new TheoryData<string, string>();
        var payloads = Path.Combine(AppContext.BaseDirectory, "Payloads");
        foreach (var folder in Directory.GetDirectories(payloads).Order())
        {
            foreach (var file in Directory.GetFiles(folder, "*.json").Order())
            {
                samples.Add($"plugin-{Path.GetFileName(folder)}-mon-webhook", Path.GetRelativePath(AppContext.BaseDirectory, file));
            }
        }

        // Azure Monitor's samples live beside its parser tests.
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Plugins", "Samples"), "azure-*.json").Order())
        {
            samples.Add("plugin-azure-monitor-mon-webhook", Path.GetRelativePath(AppContext.BaseDirectory, file));
        }

        return samples;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Test_StandardPluginSample_AnswersTheEventsIngestionStores_AndStoresNothing(string pluginId, string sample)
    {
        var domain = ApiClientExtensions.NewDomain();
        var tested = await _client.CreateWebhookAsync(domain, "tested", pluginId);
        var sent = await _client.CreateWebhookAsync(domain, "sent", pluginId);
        var payload = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, sample));
        var before = await StoredStateAsync(domain, Id(tested));

        var answer = await (await _client.SendRawAsync(
            HttpMethod.Post, $"/monitoring/v1/webhook/{Id(tested)}/test", $$"""{"domain_id": "{{domain}}", "data": {{payload}}}""")).JsonAsync();

        Assert.Equal(before, await StoredStateAsync(domain, Id(tested)));
        var results = answer["results"]!.AsArray();
        Assert.Equal(results.Count, (int)answer["total_count"]!);
        Assert.All(results, e =>
        {
            Assert.Equal(Id(tested), (string)e!["webhook_id"]!);
            Assert.Equal(domain, (string)e["domain_id"]!);
            Assert.Matches("^event-[0-9a-f]{12}$", (string)e["event_id"]!);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(payload), e["raw_data"]), "raw_data is the payload tested");
        });
        await (await _client.PostEventAsync(sent, payload)).JsonAsync();
        var stored = await _client.WaitForEventsAsync(api.Database, domain, Id(sent), results.Count);
        var expected = Comparable(stored, Id(sent));
        var actual = Comparable(results, Id(tested));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            // jsonb keeps object keys in its own order: compare as JSON values, not as text.
            Assert.True(JsonNode.DeepEquals(expected[i], actual[i]), $"stored {expected[i].ToJsonString()}\ntested {actual[i].ToJsonString()}");
        }
    }

    [Fact]
    public async Task Test_AlertmanagerPayload_AnswersItsTwoAlerts()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "am", PrometheusPlugin);

        var answer = await TestAsync(domain, Id(webhook), AlertmanagerTwoFiring);

        var results = answer["results"]!.AsArray();
        Assert.Equal(2, (int)answer["total_count"]!);
        Assert.All(results, e =>
        {
            Assert.Equal("ALERT", (string)e!["event_type"]!);
            Assert.Equal("CRITICAL", (string)e["severity"]!);
            Assert.Equal("project-1", (string)e["project_id"]!);
        });
        Assert.Equal(2, results.Select(e => (string)e!["event_key"]!).Distinct().Count());
    }

    [Fact]
    public async Task Test_PluginRejectsPayload_AnswersTheErrorEvent_AndCountsNoError()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "picky", "plugin-test-ok");
        // Bound while its plugin accepted the options; the plugin now rejects everything it is sent.
        await api.Database.ScalarAsync<object>(
            "UPDATE webhooks SET plugin_id = 'plugin-test-reject' WHERE webhook_id = $1", Id(webhook));

        var answer = await TestAsync(domain, Id(webhook), """{"anything": true}""");

        var error = Assert.Single(answer["results"]!.AsArray())!;
        Assert.Equal("ERROR", (string)error["event_type"]!);
        Assert.Equal("ERROR", (string)error["severity"]!);
        Assert.Equal($"Webhook 'picky' ({Id(webhook)}) could not parse an event", (string)error["title"]!);
        Assert.Equal($"{Id(webhook)}:parse-error", (string)error["event_key"]!);
        Assert.False(string.IsNullOrEmpty((string)error["description"]!));
        var requests = (await _client.WebhookAsync(domain, Id(webhook)))["requests"]!;
        Assert.Equal(0, (long)requests["total"]!);
        Assert.Equal(0, (long)requests["error"]!);
    }

    [Fact]
    public async Task Test_DisabledWebhook_IsTested()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "off", PrometheusPlugin);
        await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/disable", new { domain_id = domain })).JsonAsync();

        var answer = await TestAsync(domain, Id(webhook), AlertmanagerTwoFiring);

        Assert.Equal(2, (int)answer["total_count"]!);
    }

    [Fact]
    public async Task Test_AutoWebhookBehindTheRegistry_IsNotUpgraded()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "old", "plugin-test-versions",
            extra: new { plugin_info = new { plugin_id = "plugin-test-versions", version = "1.0.0", upgrade_mode = "AUTO" } });

        await TestAsync(domain, Id(webhook), """{"a": 1}""");

        var stored = await _client.WebhookAsync(domain, Id(webhook));
        Assert.Equal("1.0.0", (string)stored["plugin_info"]!["version"]!);
    }

    [Fact]
    public async Task Test_PluginDown_Returns502_AndStoresNothing()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "ok", "plugin-test-ok");
        await api.Database.ScalarAsync<object>(
            "UPDATE webhooks SET plugin_id = 'plugin-test-down' WHERE webhook_id = $1", Id(webhook));

        var response = await _client.PostAsJsonAsync($"/monitoring/v1/webhook/{Id(webhook)}/test", new { domain_id = domain, data = new { a = 1 } });

        await response.ProblemAsync(HttpStatusCode.BadGateway, "ERROR_PLUGIN_UNAVAILABLE");
        Assert.Empty(await _client.EventsOfAsync(domain, Id(webhook)));
    }

    [Theory]
    [InlineData("""{"domain_id": "DOMAIN"}""", HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER", "data")]
    [InlineData("""{"domain_id": "DOMAIN", "data": null}""", HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER", "data")]
    [InlineData("""{"data": {}}""", HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER", "domain_id")]
    [InlineData("""{"domain_id": "DOMAIN", "data": {}, "webhook_id": "webhook-000000000000"}""", HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT", "webhook_id")]
    [InlineData("""{"domain_id": "DOMAIN", "data": {}, "dry_run": true}""", HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT", "dry_run")]
    [InlineData("""{"domain_id": "other-domain", "data": {}}""", HttpStatusCode.NotFound, "ERROR_NOT_FOUND", "webhook_id")]
    public async Task Test_BadRequest_IsRefusedNamingTheField(string body, HttpStatusCode status, string code, string key)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "checked", PrometheusPlugin);

        var response = await _client.SendRawAsync(HttpMethod.Post, $"/monitoring/v1/webhook/{Id(webhook)}/test", body.Replace("DOMAIN", domain));

        var problem = await response.ProblemAsync(status, code);
        Assert.Contains(key, (string)problem["detail"]!);
    }

    private async Task<JsonObject> TestAsync(string domain, string webhookId, string payload) =>
        await (await _client.SendRawAsync(
            HttpMethod.Post, $"/monitoring/v1/webhook/{webhookId}/test", $$"""{"domain_id": "{{domain}}", "data": {{payload}}}""")).JsonAsync();

    /// <summary>What a test or a store could change: the webhook's counters, its raw requests, the domain's events.</summary>
    private async Task<string> StoredStateAsync(string domain, string webhookId)
    {
        var requests = (await _client.WebhookAsync(domain, webhookId))["requests"]!.ToJsonString();
        var rows = await RequestsAsync(api.Database, webhookId);
        var events = await api.Database.ScalarAsync<long>("SELECT count(*) FROM events WHERE domain_id = $1", domain);
        return $"requests={requests} rows={rows} events={events}";
    }

    /// <summary>
    /// An event as two webhooks of the same plugin would both make it: ids, times and the webhook's own id and name
    /// differ; a parse error's key and details name the stored request, which a test does not have.
    /// </summary>
    private static List<JsonNode> Comparable(JsonArray events, string webhookId) =>
        events.Select(e =>
        {
            var copy = e!.DeepClone().AsObject();
            foreach (var varying in new[] { "event_id", "created_at", "webhook_id" })
            {
                copy.Remove(varying);
            }

            return (string)copy["event_type"]! == "ERROR"
                ? new JsonObject { ["event_type"] = "ERROR", ["description"] = copy["description"]!.DeepClone() }
                : JsonNode.Parse(copy.ToJsonString().Replace(webhookId, "WEBHOOK", StringComparison.Ordinal))!;
        }).OrderBy(e => (string?)e["event_key"], StringComparer.Ordinal).ThenBy(e => (string?)e["title"], StringComparer.Ordinal).ToList();
}
