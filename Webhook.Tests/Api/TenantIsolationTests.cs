namespace Webhook.Tests.Api;

/// <summary>Another domain's webhook is "not found" everywhere and never changes, whatever the request says.</summary>
[Collection(ApiCollection.Name)]
public sealed class TenantIsolationTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private async Task<(string Mine, string Theirs, JsonObject Victim)> ArrangeAsync()
    {
        var mine = ApiClientExtensions.NewDomain();
        var theirs = ApiClientExtensions.NewDomain();
        await _client.CreateWebhookAsync(mine, "mine");
        var victim = await _client.CreateWebhookAsync(theirs, "victim", extra: new { tags = new { secret = "yes" } });
        return (mine, theirs, victim);
    }

    private async Task AssertUnchangedAsync(string theirs, JsonObject victim)
    {
        var now = await (await _client.GetAsync($"/monitoring/v1/webhook/{victim["webhook_id"]}?domain_id={theirs}")).JsonAsync();
        Assert.Equal(victim.ToJsonString(), now.ToJsonString());
    }

    [Theory]
    [InlineData("GET", "/monitoring/v1/webhook/{0}?domain_id={1}", null)]
    [InlineData("DELETE", "/monitoring/v1/webhook/{0}?domain_id={1}", null)]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}", """{"name":"pwned","tags":{},"domain_id":"{1}"}""")]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}/plugin", """{"options":{"x":1},"domain_id":"{1}"}""")]
    [InlineData("POST", "/monitoring/v1/webhook/{0}/plugin/verify", """{"domain_id":"{1}"}""")]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}/enable", """{"domain_id":"{1}"}""")]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}/disable", """{"domain_id":"{1}"}""")]
    public async Task Route_OnAnotherDomainsWebhook_Returns404AndChangesNothing(string method, string route, string? body)
    {
        var (mine, theirs, victim) = await ArrangeAsync();
        var id = (string)victim["webhook_id"]!;
        var request = new HttpRequestMessage(new HttpMethod(method), route.Replace("{0}", id).Replace("{1}", mine));
        if (body is not null)
        {
            request.Content = new StringContent(body.Replace("{1}", mine), System.Text.Encoding.UTF8, "application/json");
        }

        var response = await _client.SendAsync(request);

        await response.ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        await AssertUnchangedAsync(theirs, victim);
    }

    public static TheoryData<string> HostileQueries => new()
    {
        """{"filter_or":[{"k":"domain_id","v":"{theirs}","o":"eq"}]}""",
        """{"filter_or":[{"k":"webhook_id","v":"{victim}","o":"eq"},{"k":"name","v":"mine","o":"eq"}]}""",
        """{"filter_or":[{"k":"domain_id","v":["{mine}","{theirs}"],"o":"in"}]}""",
        """{"filter":[{"k":"domain_id","v":"{theirs}","o":"eq"}]}""",
        """{"filter_or":[{"k":"domain_id","v":"{mine}","o":"not"}]}""",
        """{"keyword":"victim"}""",
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Search_WhateverTheQuery_NeverShowsAnotherDomain(string query)
    {
        var (mine, theirs, victim) = await ArrangeAsync();
        var json = query.Replace("{theirs}", theirs).Replace("{mine}", mine).Replace("{victim}", (string)victim["webhook_id"]!);

        var response = await _client.SendRawAsync(HttpMethod.Post, "/monitoring/v1/webhooks/search",
            $$"""{"domain_id":"{{mine}}","query":{{json}}}""");

        var page = await response.JsonAsync();
        Assert.All(page["results"]!.AsArray(), r => Assert.Equal(mine, (string)r!["domain_id"]!));
        Assert.DoesNotContain(theirs, page.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Stat_WhateverTheQuery_NeverCountsAnotherDomain(string query)
    {
        var (mine, theirs, victim) = await ArrangeAsync();
        var json = query.Replace("{theirs}", theirs).Replace("{mine}", mine).Replace("{victim}", (string)victim["webhook_id"]!);
        var stat = JsonNode.Parse(json)!.AsObject();
        stat["aggregate"] = JsonNode.Parse("""[{"group":{"keys":[{"key":"domain_id","name":"domain"}],"fields":[{"operator":"count","name":"n"}]}}]""");

        var response = await _client.PostAsJsonAsync("/monitoring/v1/webhooks/stat", new { domain_id = mine, query = stat });

        var body = await response.JsonAsync();
        Assert.DoesNotContain(theirs, body.ToJsonString());
        Assert.All(body["results"]!.AsArray(), r => Assert.Equal(mine, (string)r!["domain"]!));
    }

    [Fact]
    public async Task List_WithAnotherDomainsIds_ShowsNothingOfIt()
    {
        var (mine, theirs, victim) = await ArrangeAsync();

        var page = await (await _client.GetAsync($"/monitoring/v1/webhooks?domain_id={mine}&webhook_id={victim["webhook_id"]}")).JsonAsync();

        Assert.Empty(page["results"]!.AsArray());
        Assert.Equal(0, (long)page["total_count"]!);
        Assert.DoesNotContain(theirs, page.ToJsonString());
    }
}
