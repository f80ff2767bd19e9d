using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

[Collection(ApiCollection.Name)]
public sealed class ReplayTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private async Task<(string Domain, JsonObject Webhook, JsonArray Events)> ArrangeAsync(HttpClient? client = null)
    {
        client ??= _client;
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "replayed", PrometheusPlugin);
        await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        await (await client.PostEventAsync(webhook, """{"garbage": 1}""")).JsonAsync();
        var events = await client.WaitForEventsAsync(api.Database, domain, Id(webhook), 3);
        return (domain, webhook, events);
    }

    private static List<string> Ids(JsonArray events) => events.Select(e => (string)e!["event_id"]!).Order().ToList();

    private static List<string> Keys(JsonArray events) => events.Select(e => (string)e!["event_key"]!).Order().ToList();

    [Fact]
    public async Task Replay_DryRun_ReturnsTheEventsItWouldMake_AndStoresNothing()
    {
        var (domain, webhook, before) = await ArrangeAsync();

        var response = await _client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/events/replay", new { domain_id = domain, dry_run = true });

        var body = await response.JsonAsync();
        var results = body["results"]!.AsArray();
        Assert.Equal(3, (long)body["total_count"]!);
        Assert.Equal(Keys(before).Where(k => !k.Contains("parse-error")), Keys(results).Where(k => !k.Contains("parse-error")));
        Assert.Single(results, e => (string)e!["event_type"]! == "ERROR");
        Assert.Empty(Ids(results).Intersect(Ids(before)));
        var after = await _client.EventsOfAsync(domain, Id(webhook));
        Assert.Equal(Ids(before), Ids(after));
        foreach (var id in Ids(results))
        {
            await (await _client.GetAsync($"/monitoring/v1/event/{id}?domain_id={domain}")).ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        }
    }

    [Fact]
    public async Task Replay_ReplacesTheEventsOfThoseRequests()
    {
        var (domain, webhook, before) = await ArrangeAsync();

        var response = await _client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/events/replay", new { domain_id = domain });

        var body = await response.JsonAsync();
        var after = await _client.EventsOfAsync(domain, Id(webhook));
        Assert.Equal(3, (long)body["total_count"]!);
        Assert.Equal(Ids(body["results"]!.AsArray()), Ids(after));
        Assert.Equal(Keys(before).Count, Keys(after).Count);
        Assert.Empty(Ids(after).Intersect(Ids(before)));
        Assert.Equal(3, await api.Database.ScalarAsync<long>("SELECT count(*) FROM events WHERE webhook_id = $1", Id(webhook)));
        var info = await _client.WebhookAsync(domain, Id(webhook));
        Assert.Equal("""{"total":2,"error":1}""", info["requests"]!.ToJsonString());
    }

    [Fact]
    public async Task Replay_WithATimeRange_OnlyTouchesRequestsReceivedInIt()
    {
        var (domain, webhook, before) = await ArrangeAsync();
        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("O");

        var response = await _client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/events/replay", new { domain_id = domain, start = future });

        var body = await response.JsonAsync();
        Assert.Equal(0, (long)body["total_count"]!);
        Assert.Equal(Ids(before), Ids(await _client.EventsOfAsync(domain, Id(webhook))));
    }

    [Fact]
    public async Task Replay_OnAnotherDomainsWebhook_Returns404()
    {
        var (_, webhook, before) = await ArrangeAsync();
        var other = ApiClientExtensions.NewDomain();

        var response = await _client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/events/replay", new { domain_id = other });

        await response.ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
    }

    [Fact]
    public async Task Replay_OverTheCap_Returns400AndChangesNothing()
    {
        await using var capped = api.FactoryWith(new() { ["Webhook:ReplayMaxRequests"] = "1" });
        var client = capped.CreateClient();
        var (domain, webhook, before) = await ArrangeAsync(client);

        var response = await client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/events/replay", new { domain_id = domain });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT");
        Assert.Contains("narrower", (string)problem["detail"]!);
        Assert.Equal(Ids(before), Ids(await client.EventsOfAsync(domain, Id(webhook))));
    }

    [Theory]
    [InlineData("""{"start": "yesterday"}""", "ERROR_INVALID_ARGUMENT")]
    [InlineData("""{"start": "2024-02-01T00:00:00Z", "end": "2024-01-01T00:00:00Z"}""", "ERROR_INVALID_ARGUMENT")]
    [InlineData("""{"dry_run": "yes"}""", "ERROR_INVALID_PARAMETER_TYPE")]
    [InlineData("""{"since": "2024-01-01"}""", "ERROR_INVALID_ARGUMENT")]
    [InlineData("""{}""", "ERROR_REQUIRED_PARAMETER")]
    public async Task Replay_WithBadRequest_Returns400(string body, string code)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "strict", PrometheusPlugin);
        var json = JsonNode.Parse(body)!.AsObject();
        if (code != "ERROR_REQUIRED_PARAMETER")
        {
            json["domain_id"] = domain;
        }

        var response = await _client.SendRawAsync(HttpMethod.Post, $"/monitoring/v1/webhook/{Id(webhook)}/events/replay", json.ToJsonString());

        await response.ProblemAsync(HttpStatusCode.BadRequest, code);
    }
}
