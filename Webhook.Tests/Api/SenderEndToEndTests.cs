namespace Webhook.Tests.Api;

/// <summary>
/// Each standard plugin through the whole service: a webhook per plugin, the real sample POSTed to its URL as the
/// sender does, the events read back through the events API.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SenderEndToEndTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    public sealed record Expected(string EventKey, string EventType, string Severity, string? Title = null, string? ResourceId = null, string? Account = null);

    public static TheoryData<string, string, string, Expected[]> Samples => new()
    {
        { "prometheus", "Payloads/prometheus/alertmanager-2-firing-critical.json", "application/json",
            [new("e2a3b36a4e1832ef", "ALERT", "CRITICAL"), new("b81c57e53f0bff63", "ALERT", "CRITICAL")] },
        { "prometheus", "Payloads/prometheus/alertmanager-kubepodnotready-warning.json", "application/json",
            [new("469fd6fbb9dbabaa", "ALERT", "WARNING", "Pod has been in a non-ready state for more than 15 minutes.")] },
        { "grafana", "Payloads/grafana/legacy-alerting-database-size.json", "application/json",
            [new("*", "ALERT", "ERROR", "Database Size alert")] },
        { "grafana", "Payloads/grafana/legacy-ok-kubelet-error-rate.json", "application/json",
            [new("*", "RECOVERY", "INFO", "Kubelet Runtime Operations Error Rate alert")] },
        { "grafana", "Payloads/grafana/legacy-test-notification.json", "application/json", [new("*", "ALERT", "INFO")] },
        { "aws-sns", "Payloads/aws-sns/cloudwatch-ec2-cpu-alarm.json", "text/plain; charset=UTF-8",
            [new("*", "ALERT", "ERROR", "EC2-CPU", "i-0f672ea50a80cda4b", "257706363616")] },
        { "aws-sns", "Payloads/aws-sns/phd-health-abuse-event.json", "text/plain; charset=UTF-8",
            [new("arn:aws:health:global::event/AWS_ABUSE_COPYRIGHT_DMCA_REPORT_2345235545_5323_2018_08_02_02_12_98", "ALERT", "ERROR")] },
        { "aws-sns", "Payloads/aws-sns/subscription-confirmation.json", "text/plain; charset=UTF-8", [new("*", "ALERT", "INFO")] },
        { "api-direct", "Payloads/api-direct/test-event-with-nonstring-additional-info.json", "application/json",
            [new("event-x1234vlkajdflk", "ALERT", "ERROR", "This is test event", "resource-xzasdfasdf")] },
        { "azure-monitor", "Plugins/Samples/azure-common-log-fired.json", "application/json",
            [new("/subscriptions/12345a-1234b-123c-123d-12345678e/providers/Microsoft.AlertsManagement/alerts/12345a-1234b-123c-123d-12345678e",
                "ALERT", "CRITICAL", "AcmeRule")] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task PostSample_ToWebhookUrl_GivesTheEventsItsPluginNames(string plugin, string file, string contentType, Expected[] expected)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, pluginId: $"plugin-{plugin}-mon-webhook", projectId: "project-e2e");
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, file));
        // SNS messages are signature-checked: sign the sample with the test's loopback certificate, as SNS would.
        body = plugin == "aws-sns" ? api.SnsSigner.SignedText(body) : body;

        var posted = await _client.PostAsync(LocalPath(webhook), new StringContent(body, System.Text.Encoding.UTF8)
        {
            Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType) },
        });

        Assert.Equal("{}", (await posted.JsonAsync()).ToJsonString());
        var events = await WaitForEventsAsync(domain, (string)webhook["webhook_id"]!, expected.Length);
        Assert.Equal(expected.Length, events.Count);
        foreach (var (want, got) in expected.Zip(events.OrderBy(e => Array.FindIndex(expected, x => x.EventKey == (string?)e["event_key"]))))
        {
            if (want.EventKey != "*")
            {
                Assert.Equal(want.EventKey, (string)got["event_key"]!);
            }

            Assert.False(string.IsNullOrEmpty((string?)got["event_key"]));
            Assert.Equal(want.EventType, (string)got["event_type"]!);
            Assert.Equal(want.Severity, (string)got["severity"]!);
            if (want.Title is not null)
            {
                Assert.Equal(want.Title, (string)got["title"]!);
            }

            if (want.ResourceId is not null)
            {
                Assert.Equal(want.ResourceId, (string)got["resource"]!["resource_id"]!);
            }

            if (want.Account is not null)
            {
                Assert.Equal(want.Account, (string)got["account"]!);
            }

            Assert.Matches("^event-[0-9a-f]{12}$", (string)got["event_id"]!);
            Assert.Equal(webhook["webhook_id"]!.ToJsonString(), got["webhook_id"]!.ToJsonString());
            Assert.Equal("project-e2e", (string)got["project_id"]!);
            Assert.Equal(domain, (string)got["domain_id"]!);
            Assert.NotNull(got["raw_data"]);
        }
    }

    [Fact]
    public async Task PostUnparsableSample_GivesOneErrorEventNamingTheWebhook()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "direct-feed", pluginId: "plugin-api-direct-mon-webhook");
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads/api-direct/readme-event-literal-occurred_at-datetime.json"));

        await (await _client.PostAsync(LocalPath(webhook), new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).JsonAsync();

        var events = await WaitForEventsAsync(domain, (string)webhook["webhook_id"]!, 1);
        var error = Assert.Single(events);
        Assert.Equal("ERROR", (string)error["event_type"]!);
        Assert.Contains("direct-feed", (string)error["title"]!);
        Assert.Contains("occurred_at", (string)error["description"]!);
        var stored = await (await _client.GetAsync($"/monitoring/v1/webhook/{webhook["webhook_id"]}?domain_id={domain}")).JsonAsync();
        Assert.Equal(1, (long)stored["requests"]!["error"]!);
        Assert.Equal(1, (long)stored["requests"]!["total"]!);
    }

    private static string LocalPath(JsonObject webhook) => new Uri((string)webhook["webhook_url"]!).PathAndQuery;

    private async Task<List<JsonObject>> WaitForEventsAsync(string domain, string webhookId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await (await _client.GetAsync($"/monitoring/v1/events?domain_id={domain}&webhook_id={webhookId}")).JsonAsync();
            var events = page["results"]!.AsArray().Select(e => e!.AsObject()).ToList();
            if (events.Count >= count || DateTime.UtcNow > deadline)
            {
                return events;
            }

            await Task.Delay(50);
        }
    }
}
