using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

/// <summary>get, list, search and stat on events, always inside one domain.</summary>
[Collection(ApiCollection.Name)]
public sealed class EventReadTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    /// <summary>Two domains, each with a prometheus webhook that received the two-alert sample and one bad payload.</summary>
    private async Task<(string Mine, string Theirs, JsonArray MyEvents, JsonArray TheirEvents)> ArrangeAsync()
    {
        var mine = ApiClientExtensions.NewDomain();
        var theirs = ApiClientExtensions.NewDomain();
        var myHook = await _client.CreateWebhookAsync(mine, "mine", PrometheusPlugin);
        var theirHook = await _client.CreateWebhookAsync(theirs, "theirs", PrometheusPlugin, projectId: "project-x");
        foreach (var hook in new[] { myHook, theirHook })
        {
            await (await _client.PostEventAsync(hook, AlertmanagerTwoFiring)).JsonAsync();
            await (await _client.PostEventAsync(hook, """{"nope": true}""")).JsonAsync();
        }

        var myEvents = await _client.WaitForEventsAsync(api.Database, mine, Id(myHook), 3);
        var theirEvents = await _client.WaitForEventsAsync(api.Database, theirs, Id(theirHook), 3);
        return (mine, theirs, myEvents, theirEvents);
    }

    [Fact]
    public async Task Get_InItsDomain_ReturnsTheEvent_AndOnlyNarrowsIt()
    {
        var (mine, theirs, myEvents, _) = await ArrangeAsync();
        var id = (string)myEvents[0]!["event_id"]!;

        var full = await (await _client.GetAsync($"/monitoring/v1/event/{id}?domain_id={mine}")).JsonAsync();
        var only = await (await _client.GetAsync($"/monitoring/v1/event/{id}?domain_id={mine}&only=event_id&only=resource.name")).JsonAsync();
        var elsewhere = await _client.GetAsync($"/monitoring/v1/event/{id}?domain_id={theirs}");
        var noDomain = await _client.GetAsync($"/monitoring/v1/event/{id}");

        Assert.Equal(myEvents[0]!.ToJsonString(), full.ToJsonString());
        Assert.Equal(
            ["event_id", "event_key", "event_type", "title", "description", "severity", "resource", "rule", "occurred_at",
             "additional_info", "image_url", "provider", "account", "webhook_id", "project_id", "domain_id", "raw_data", "created_at"],
            full.Select(p => p.Key).ToList());
        Assert.Equal(2, only.Count);
        Assert.Equal(id, (string)only["event_id"]!);
        await elsewhere.ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        await noDomain.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER");
    }

    [Fact]
    public async Task List_WithPlainFields_FiltersInsideTheDomain()
    {
        var (mine, theirs, myEvents, theirEvents) = await ArrangeAsync();
        var key = (string)myEvents.First(e => (string)e!["event_type"]! == "ALERT")!["event_key"]!;

        var errors = await (await _client.GetAsync($"/monitoring/v1/events?domain_id={mine}&event_type=ERROR")).JsonAsync();
        var critical = await (await _client.GetAsync($"/monitoring/v1/events?domain_id={mine}&severity=CRITICAL")).JsonAsync();
        var byKey = await (await _client.GetAsync($"/monitoring/v1/events?domain_id={mine}&event_key={key}")).JsonAsync();
        var theirWebhook = await (await _client.GetAsync(
            $"/monitoring/v1/events?domain_id={mine}&webhook_id={theirEvents[0]!["webhook_id"]}")).JsonAsync();
        var badSeverity = await _client.GetAsync($"/monitoring/v1/events?domain_id={mine}&severity=LOUD");
        var noDomain = await _client.GetAsync("/monitoring/v1/events");

        Assert.Equal(1, (long)errors["total_count"]!);
        Assert.Equal(2, (long)critical["total_count"]!);
        Assert.Equal(1, (long)byKey["total_count"]!);
        Assert.Equal(0, (long)theirWebhook["total_count"]!);
        await badSeverity.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT");
        await noDomain.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER");
        Assert.DoesNotContain(theirs, (errors.ToJsonString() + critical.ToJsonString() + byKey.ToJsonString()));
    }

    [Theory]
    [InlineData("/monitoring/v1/events?domain_id=d&webhookid=webhook-000000000000", "webhookid", "domain_id, event_id, event_key, event_type, severity, webhook_id, project_id")]
    [InlineData("/monitoring/v1/event/event-000000000000?domain_id=d&onyl=title", "onyl", "domain_id, only")]
    [InlineData("/monitoring/v1/events/search?domain_id=d", "domain_id", "none")]
    public async Task Reads_WithUnknownQueryParameter_Return400NamingIt_InsteadOfAnsweringTheWholeDomain(
        string url, string parameter, string accepted)
    {
        var response = url.Contains("/search", StringComparison.Ordinal)
            ? await _client.PostAsJsonAsync(url, new { domain_id = "d" })
            : await _client.GetAsync(url);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT");
        Assert.Contains($"key = {parameter}", (string)problem["detail"]!);
        Assert.Contains($"takes {accepted}.", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("""{"filter_or":[{"k":"domain_id","v":"{theirs}","o":"eq"}]}""")]
    [InlineData("""{"filter_or":[{"k":"domain_id","v":["{mine}","{theirs}"],"o":"in"},{"k":"severity","v":"ERROR","o":"eq"}]}""")]
    [InlineData("""{"filter":[{"k":"domain_id","v":"{theirs}","o":"eq"}]}""")]
    [InlineData("""{"keyword":"theirs"}""")]
    public async Task Search_WhateverTheQuery_NeverShowsAnotherDomain(string query)
    {
        var (mine, theirs, _, _) = await ArrangeAsync();

        var response = await _client.SendRawAsync(HttpMethod.Post, "/monitoring/v1/events/search",
            $$"""{"domain_id":"{{mine}}","query":{{query.Replace("{theirs}", theirs).Replace("{mine}", mine)}}}""");

        var page = await response.JsonAsync();
        Assert.All(page["results"]!.AsArray(), r => Assert.Equal(mine, (string)r!["domain_id"]!));
        Assert.DoesNotContain(theirs, page.ToJsonString());
    }

    [Fact]
    public async Task Search_WithFilterAndSort_ReturnsMatchingEventsInOrder()
    {
        var (mine, _, _, _) = await ArrangeAsync();

        var response = await _client.PostAsJsonAsync("/monitoring/v1/events/search", new
        {
            domain_id = mine,
            query = new
            {
                filter = new object[] { new { k = "severity", v = new[] { "CRITICAL", "ERROR" }, o = "in" } },
                sort = new[] { new { key = "event_key" } },
                only = new[] { "event_key", "severity" },
            },
        });

        var page = await response.JsonAsync();
        Assert.Equal(3, (long)page["total_count"]!);
        var keys = page["results"]!.AsArray().Select(r => (string)r!["event_key"]!).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal).ToList(), keys);
    }

    [Fact]
    public async Task Stat_GroupsBySeverity_WithinTheDomainOnly()
    {
        var (mine, theirs, _, _) = await ArrangeAsync();

        var query = """
            {"domain_id": "{mine}",
             "query": {"filter_or": [{"k": "domain_id", "v": "{theirs}", "o": "eq"}, {"k": "event_type", "v": "ALERT", "o": "eq"}, {"k": "event_type", "v": "ERROR", "o": "eq"}],
                       "aggregate": [{"group": {"keys": [{"key": "severity", "name": "severity"}, {"key": "domain_id", "name": "domain"}],
                                                "fields": [{"operator": "count", "name": "count"}]}},
                                     {"sort": {"key": "severity"}}]}}
            """;
        var response = await _client.SendRawAsync(
            HttpMethod.Post, "/monitoring/v1/events/stat", query.Replace("{mine}", mine).Replace("{theirs}", theirs));

        var body = await response.JsonAsync();
        Assert.Equal(
            $$"""[{"severity":"CRITICAL","domain":"{{mine}}","count":2},{"severity":"ERROR","domain":"{{mine}}","count":1}]""",
            body["results"]!.ToJsonString());
    }
}
