using System.Net.Http.Headers;
using System.Text;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

[Collection(ApiCollection.Name)]
public sealed class EventReceiverTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private Task<string?> StoredPayloadAsync(string webhookId) =>
        api.Database.ScalarAsync<string>(
            "SELECT r.payload::text FROM webhook_requests r JOIN webhooks w ON w.id = r.webhook_ref WHERE w.webhook_id = $1",
            webhookId);

    [Fact]
    public async Task Post_AlertmanagerJson_Returns200AndParsesOneEventPerAlert()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "alertmanager", PrometheusPlugin);

        var response = await _client.PostEventAsync(webhook, AlertmanagerTwoFiring);

        Assert.Equal("{}", (await response.JsonAsync()).ToJsonString());
        var events = await _client.WaitForEventsAsync(api.Database, domain, Id(webhook), 2);
        Assert.Equal(["b81c57e53f0bff63", "e2a3b36a4e1832ef"], events.Select(e => (string)e!["event_key"]!).Order().ToList());
        Assert.All(events, e =>
        {
            Assert.Matches("^event-[0-9a-f]{12}$", (string)e!["event_id"]!);
            Assert.Equal("ALERT", (string)e["event_type"]!);
            Assert.Equal("CRITICAL", (string)e["severity"]!);
            Assert.Equal("project-1", (string)e["project_id"]!);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(AlertmanagerTwoFiring), e["raw_data"]));
        });
        var info = await _client.WebhookAsync(domain, Id(webhook));
        Assert.Equal("""{"total":1,"error":0}""", info["requests"]!.ToJsonString());
    }

    [Fact]
    public async Task Post_SnsJsonAsTextPlain_IsStoredAsJsonAndParsed()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "sns", "plugin-aws-sns-mon-webhook");
        var sample = api.SnsSigner.SignedText(Payload("aws-sns/cloudwatch-ec2-cpu-alarm.json"));

        var response = await _client.PostEventAsync(webhook, sample, "text/plain");

        await response.JsonAsync();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sample), JsonNode.Parse((await StoredPayloadAsync(Id(webhook)))!)));
        var events = await _client.WaitForEventsAsync(api.Database, domain, Id(webhook), 1);
        Assert.Equal("EC2-CPU", (string)events[0]!["title"]!);
        Assert.Equal("i-0f672ea50a80cda4b", (string)events[0]!["resource"]!["resource_id"]!);
    }

    [Fact]
    public async Task Post_FormUrlEncoded_IsStoredAsAnObject()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "form");

        var response = await _client.PostAsync(EventsPath(webhook), new FormUrlEncodedContent(
            [new("alert", "disk full"), new("host", "db-1"), new("host", "db-2")]));

        await response.JsonAsync();
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"alert": "disk full", "host": ["db-1", "db-2"]}"""),
            JsonNode.Parse((await StoredPayloadAsync(Id(webhook)))!)));
    }

    [Theory]
    [InlineData("application/xml", "<alert>cpu high</alert>")]
    [InlineData("text/plain", "plain words, not JSON")]
    [InlineData("application/json", "{not json")]
    public async Task Post_OtherBodies_AreKeptAsAJsonString(string contentType, string body)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "text");

        var response = await _client.PostEventAsync(webhook, body, contentType);

        await response.JsonAsync();
        Assert.Equal(body, JsonNode.Parse((await StoredPayloadAsync(Id(webhook)))!)!.GetValue<string>());
    }

    [Fact]
    public async Task Post_WithUnknownWebhookOrWrongKey_ReturnsTheSame403AndStoresNothing()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "guarded");
        var wrongKey = new string('f', 32);

        var unknown = await _client.PostAsync(
            $"/monitoring/v1/webhook/webhook-000000000000/{Key(webhook)}/events", new StringContent("{}", Encoding.UTF8, "application/json"));
        var wrong = await _client.PostAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/{wrongKey}/events", new StringContent("{}", Encoding.UTF8, "application/json"));

        var unknownBody = await unknown.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        var wrongBody = await wrong.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        unknownBody.Remove("trace_id");
        wrongBody.Remove("trace_id");
        Assert.Equal(unknownBody.ToJsonString(), wrongBody.ToJsonString());
        Assert.DoesNotContain(Key(webhook), unknownBody.ToJsonString());
        Assert.DoesNotContain(wrongKey, wrongBody.ToJsonString());
        Assert.Equal(0, await RequestsAsync(api.Database, Id(webhook)));
    }

    [Fact]
    public async Task Post_ToDisabledWebhook_Returns400AtOnceAndStoresNothing_UntilEnabled()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "switch");

        await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/disable", new { domain_id = domain })).JsonAsync();
        var whileDisabled = await _client.PostEventAsync(webhook, "{}");
        await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/enable", new { domain_id = domain })).JsonAsync();
        var afterEnable = await _client.PostEventAsync(webhook, "{}");

        await whileDisabled.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_WEBHOOK_STATE_DISABLED");
        await afterEnable.JsonAsync();
        Assert.Equal(1, await RequestsAsync(api.Database, Id(webhook)));
        var info = await _client.WebhookAsync(domain, Id(webhook));
        Assert.Equal(1, (long)info["requests"]!["total"]!);
    }

    [Fact]
    public async Task Post_AfterDelete_Returns403AtOnce()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "doomed");
        await (await _client.PostEventAsync(webhook, "{}")).JsonAsync();

        await (await _client.DeleteAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}")).JsonAsync();
        var response = await _client.PostEventAsync(webhook, "{}");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        Assert.Equal(0, await RequestsAsync(api.Database, Id(webhook)));
    }

    [Fact]
    public async Task Post_OverTheLimit_Returns413ByContentLengthAndWhileReadingChunks()
    {
        await using var small = api.FactoryWith(new() { ["Webhook:MaxEventBodyBytes"] = "1024" });
        var client = small.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "small");
        var big = "\"" + new string('x', 4000) + "\"";
        var chunked = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var byLength = await client.PostEventAsync(webhook, big);
        var byChunks = await client.PostAsync(EventsPath(webhook), chunked);
        var atLimit = await client.PostEventAsync(webhook, "\"" + new string('x', 1022) + "\"");

        Assert.Null(chunked.Headers.ContentLength);
        await byLength.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "ERROR_PAYLOAD_TOO_LARGE");
        await byChunks.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "ERROR_PAYLOAD_TOO_LARGE");
        await atLimit.JsonAsync();
        Assert.Equal(1, await RequestsAsync(api.Database, Id(webhook)));
    }

    [Fact]
    public async Task Post_UnparsablePayload_GivesOneErrorEventNamingTheWebhook_AndCountsAnError()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "am-prod", PrometheusPlugin);

        await (await _client.PostEventAsync(webhook, """{"hello": "world"}""")).JsonAsync();

        var events = await _client.WaitForEventsAsync(api.Database, domain, Id(webhook), 1);
        var error = events[0]!;
        Assert.Equal("ERROR", (string)error["event_type"]!);
        Assert.Equal("ERROR", (string)error["severity"]!);
        Assert.Contains("am-prod", (string)error["title"]!);
        Assert.Contains(Id(webhook), (string)error["title"]!);
        Assert.Contains("alerts", (string)error["description"]!);
        var info = await _client.WebhookAsync(domain, Id(webhook));
        Assert.Equal("""{"total":1,"error":1}""", info["requests"]!.ToJsonString());
    }

    [Fact]
    public async Task Post_FiftyConcurrently_StoresFiftyAndParsesEachOnce()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "busy", PrometheusPlugin);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _client.PostEventAsync(webhook, AlertmanagerTwoFiring)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(50, await RequestsAsync(api.Database, Id(webhook)));
        await WaitUntilAsync(async () => await PendingAsync(api.Database, Id(webhook)) == 0, "all 50 requests parsed");
        var stored = await api.Database.ScalarAsync<long>("SELECT count(*) FROM events WHERE webhook_id = $1", Id(webhook));
        var distinct = await api.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT (request_id, sequence)) FROM events WHERE webhook_id = $1", Id(webhook));
        var requestsWithTwo = await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT request_id FROM events WHERE webhook_id = $1 GROUP BY request_id HAVING count(*) = 2) t",
            Id(webhook));
        Assert.Equal(100, stored);
        Assert.Equal(100, distinct);
        Assert.Equal(50, requestsWithTwo);
        var info = await _client.WebhookAsync(domain, Id(webhook));
        Assert.Equal("""{"total":50,"error":0}""", info["requests"]!.ToJsonString());
        var page = await (await _client.GetAsync($"/monitoring/v1/events?domain_id={domain}&webhook_id={Id(webhook)}")).JsonAsync();
        Assert.Equal(100, (long)page["total_count"]!);
    }

    [Fact]
    public async Task Receive_NeverLogsTheAccessKey()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = api.FactoryWith(new(), logs);
        var client = factory.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "quiet", PrometheusPlugin);
        var wrongKey = "0123456789abcdef0123456789abcdef";

        await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        await client.PostAsync($"/monitoring/v1/webhook/{Id(webhook)}/{wrongKey}/events", new StringContent("{}"));
        await client.PostEventAsync(webhook, """{"not": "alertmanager"}""");
        await WaitUntilAsync(async () => await PendingAsync(api.Database, Id(webhook)) == 0, "requests parsed");

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Key(webhook), StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(wrongKey, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A body stream of unknown length, so the client sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
