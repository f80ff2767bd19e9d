using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Hostile;

/// <summary>
/// Payloads that break parsing end as that request's ERROR event (at once, or FAILED after the retry limit), and
/// a normal request sent after each is parsed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PoisonTests(ApiFixture api)
{
    private const string PickyPlugin = "plugin-test-picky";

    private Task<string?> StatusOfLastAsync(string webhookId) =>
        api.Database.ScalarAsync<string>(
            "SELECT r.status FROM webhook_requests r JOIN webhooks w ON w.id = r.webhook_ref WHERE w.webhook_id = $1 ORDER BY r.id DESC LIMIT 1",
            webhookId);

    /// <summary>The request's ERROR event, read without raw_data (a page of full events can be huge).</summary>
    private async Task<JsonObject> ErrorEventAsync(string domain, string webhookId)
    {
        var search = new
        {
            domain_id = domain,
            query = new
            {
                filter = new object[] { new { k = "webhook_id", v = webhookId, o = "eq" }, new { k = "event_type", v = "ERROR", o = "eq" } },
                only = new[] { "event_id", "event_type", "description" },
            },
        };
        JsonArray found = [];
        await WaitUntilAsync(
            async () => (found = (await (await api.Client.PostAsJsonAsync("/monitoring/v1/events/search", search)).JsonAsync())["results"]!.AsArray()).Count > 0,
            $"an ERROR event of {webhookId}",
            seconds: 30);
        return found.Single()!.AsObject();
    }

    /// <summary>A normal request after the poison one: parsed like any other.</summary>
    private async Task AssertNormalRequestParsedAsync(JsonObject webhook, string domain, string body, int eventsBefore, int newEvents)
    {
        await (await api.Client.PostEventAsync(webhook, body)).JsonAsync();
        await api.Client.WaitForEventsAsync(api.Database, domain, Id(webhook), eventsBefore + newEvents, seconds: 30);
    }

    [Fact]
    public async Task Parse_PayloadNestedTooDeep_BecomesOneErrorEvent()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "deep", PrometheusPlugin);

        var response = await api.Client.PostEventAsync(webhook, new string('[', 70) + new string(']', 70));

        await response.JsonAsync();
        var error = await ErrorEventAsync(domain, Id(webhook));
        Assert.Contains("nested deeper than 64", (string)error["description"]!);
        Assert.Equal("DONE", await StatusOfLastAsync(Id(webhook)));
        await AssertNormalRequestParsedAsync(webhook, domain, AlertmanagerTwoFiring, 1, 2);
        Assert.Equal("""{"total":2,"error":1}""", (await api.Client.WebhookAsync(domain, Id(webhook)))["requests"]!.ToJsonString());
    }

    [Fact]
    public async Task Parse_PluginFailsOnePayloadForever_RequestFailsAfterItsAttemptsWhileOthersParse()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "picky-500", PickyPlugin);
        await AssertNormalRequestParsedAsync(webhook, domain, "{}", 0, 1);

        await (await api.Client.PostEventAsync(webhook, """{"poison": "500"}""")).JsonAsync();

        var error = await ErrorEventAsync(domain, Id(webhook));
        Assert.Contains("Gave up after 3 attempts", (string)error["description"]!);
        Assert.Equal("FAILED", await StatusOfLastAsync(Id(webhook)));
        await AssertNormalRequestParsedAsync(webhook, domain, "{}", 2, 1);
        Assert.Equal("""{"total":3,"error":1}""", (await api.Client.WebhookAsync(domain, Id(webhook)))["requests"]!.ToJsonString());
    }

    [Fact]
    public async Task Parse_PluginAnswersInvalidJson_RequestFailsAfterItsAttempts()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "picky-garbage", PickyPlugin);
        await AssertNormalRequestParsedAsync(webhook, domain, "{}", 0, 1);

        await (await api.Client.PostEventAsync(webhook, """{"poison": "garbage"}""")).JsonAsync();

        var error = await ErrorEventAsync(domain, Id(webhook));
        Assert.Contains("not valid JSON", (string)error["description"]!);
        Assert.Equal("FAILED", await StatusOfLastAsync(Id(webhook)));
        await AssertNormalRequestParsedAsync(webhook, domain, "{}", 2, 1);
    }

    [Fact]
    public async Task Parse_PluginAnswers20Megabytes_BecomesOneErrorEventAtOnce()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "picky-huge", PickyPlugin);

        await (await api.Client.PostEventAsync(webhook, """{"poison": "huge"}""")).JsonAsync();

        var error = await ErrorEventAsync(domain, Id(webhook));
        Assert.Contains("larger than 16777216 bytes", (string)error["description"]!);
        Assert.Equal("DONE", await StatusOfLastAsync(Id(webhook)));
        await AssertNormalRequestParsedAsync(webhook, domain, "{}", 1, 1);
    }

    [Fact]
    public async Task Parse_FiveThousandAlertsInOneBody_KeepsTheCapAndOneErrorEventSayingHowManyWereDropped()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "many", PrometheusPlugin);
        var sample = JsonNode.Parse(AlertmanagerTwoFiring)!.AsObject();
        var alert = sample["alerts"]![0]!;
        // Small alerts, so 5,000 fit well under the body limit.
        alert["labels"] = new JsonObject { ["alertname"] = "Flapping", ["severity"] = "warning" };
        alert["annotations"] = new JsonObject();
        sample["alerts"] = new JsonArray(Enumerable.Range(0, 5000).Select(i =>
        {
            var copy = alert.DeepClone();
            copy["fingerprint"] = $"fp-{i:D5}";
            return (JsonNode?)copy;
        }).ToArray());

        await (await api.Client.PostEventAsync(webhook, sample.ToJsonString())).JsonAsync();

        var error = await ErrorEventAsync(domain, Id(webhook));
        Assert.Contains("5000 events", (string)error["description"]!);
        Assert.Contains("4000 were dropped", (string)error["description"]!);
        Assert.Equal(1001, await api.Database.ScalarAsync<long>("SELECT count(*) FROM events WHERE webhook_id = $1", Id(webhook)));
        Assert.Equal(1000, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM events WHERE webhook_id = $1 AND event_type = 'ALERT' AND sequence < 1000", Id(webhook)));
        await (await api.Client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        await WaitUntilAsync(
            async () => await api.Database.ScalarAsync<long>("SELECT count(*) FROM events WHERE webhook_id = $1", Id(webhook)) == 1003,
            "the normal request's two events", seconds: 30);
    }
}
