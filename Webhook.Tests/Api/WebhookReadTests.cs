namespace Webhook.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class WebhookReadTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private static string Id(JsonObject webhook) => (string)webhook["webhook_id"]!;

    private static List<string> Names(JsonObject page) =>
        page["results"]!.AsArray().Select(r => (string)r!["name"]!).ToList();

    [Fact]
    public async Task Get_WithOnly_ReturnsJustThoseFields()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "only-me");

        var body = await (await _client.GetAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}&only=name&only=plugin_info.plugin_id")).JsonAsync();

        Assert.Equal("""{"name":"only-me","plugin_info":{"plugin_id":"plugin-test-ok"}}""", body.ToJsonString());
    }

    [Fact]
    public async Task Get_WithUnknownOnlyKey_Returns400()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain);

        var response = await _client.GetAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}&only=password");

        await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_QUERY");
    }

    [Fact]
    public async Task List_WithPlainFields_FiltersWithinTheDomain()
    {
        var domain = ApiClientExtensions.NewDomain();
        await _client.CreateWebhookAsync(domain, "b-enabled");
        var disabled = await _client.CreateWebhookAsync(domain, "a-disabled", projectId: "project-2");
        await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(disabled)}/disable", new { domain_id = domain });
        await _client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), "other-domain");

        var all = await (await _client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();
        var enabled = await (await _client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}&state=ENABLED")).JsonAsync();
        var project2 = await (await _client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}&project_id=project-2")).JsonAsync();
        var byName = await (await _client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}&name=b-enabled")).JsonAsync();

        Assert.Equal(["a-disabled", "b-enabled"], Names(all));
        Assert.Equal(2, (long)all["total_count"]!);
        Assert.Equal(["b-enabled"], Names(enabled));
        Assert.Equal(["a-disabled"], Names(project2));
        Assert.Equal(["b-enabled"], Names(byName));
    }

    [Fact]
    public async Task List_WithoutDomainIdOrWithBadState_Returns400()
    {
        await (await _client.GetAsync("/monitoring/v1/webhooks")).ProblemAsync(HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER");
        await (await _client.GetAsync($"/monitoring/v1/webhooks?domain_id=d&state=SLEEPING")).ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT");
    }

    [Theory]
    [InlineData("/monitoring/v1/webhooks?domain_id=d&projet_id=p", "projet_id")]
    [InlineData("/monitoring/v1/webhook/webhook-000000000000?domain_id=d&onyl=name", "onyl")]
    public async Task Reads_WithUnknownQueryParameter_Return400NamingIt(string url, string parameter)
    {
        var response = await _client.GetAsync(url);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT");
        Assert.Contains($"key = {parameter}", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Search_WithFilterSortAndPage_ReturnsThePageAndTotal()
    {
        var domain = ApiClientExtensions.NewDomain();
        foreach (var name in new[] { "delta", "alpha", "Charlie", "bravo" })
        {
            await _client.CreateWebhookAsync(domain, name, extra: new { tags = new { env = name == "alpha" ? "dev" : "prod" } });
        }

        var page = await (await _client.PostAsJsonAsync("/monitoring/v1/webhooks/search", new
        {
            domain_id = domain,
            query = new
            {
                filter = new[] { new { k = "tags.env", v = "prod", o = "eq" } },
                sort = new[] { new { key = "name", desc = true } },
                page = new { start = 1, limit = 2 },
            },
        })).JsonAsync();

        Assert.Equal(["delta", "bravo"], Names(page));
        Assert.Equal(3, (long)page["total_count"]!);
    }

    [Fact]
    public async Task Search_WithBadQuery_Returns400NamingThePart()
    {
        var response = await _client.PostAsJsonAsync("/monitoring/v1/webhooks/search", new
        {
            domain_id = ApiClientExtensions.NewDomain(),
            query = new { filter = new[] { new { k = "name", v = "x", o = "resembles" } } },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_QUERY");
        Assert.Contains("query.filter[0]", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Stat_GroupByStateWithCount_CountsPerState()
    {
        var domain = ApiClientExtensions.NewDomain();
        await _client.CreateWebhookAsync(domain, "one");
        await _client.CreateWebhookAsync(domain, "two");
        var third = await _client.CreateWebhookAsync(domain, "three");
        await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(third)}/disable", new { domain_id = domain });

        var stat = await (await _client.PostAsJsonAsync("/monitoring/v1/webhooks/stat", new
        {
            domain_id = domain,
            query = new
            {
                aggregate = new object[]
                {
                    new { group = new { keys = new[] { new { key = "state", name = "state" } }, fields = new[] { new { @operator = "count", name = "count" } } } },
                    new { sort = new { key = "state" } },
                },
            },
        })).JsonAsync();

        Assert.Equal("""[{"state":"DISABLED","count":1},{"state":"ENABLED","count":2}]""", stat["results"]!.ToJsonString());
    }

    [Fact]
    public async Task Stat_WithoutAggregateOrDistinct_Returns400()
    {
        var response = await _client.PostAsJsonAsync("/monitoring/v1/webhooks/stat", new { domain_id = "d", query = new { } });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER");
        Assert.Contains("aggregate", (string)problem["detail"]!);
    }
}
