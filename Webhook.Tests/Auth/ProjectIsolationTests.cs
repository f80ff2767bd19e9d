using Webhook.Tests.Events;

namespace Webhook.Tests.Auth;

/// <summary>
/// A project member (token with <c>projects</c>) never sees or changes another project's webhook or event, through
/// any route or query trick; ids outside its projects are 404 as if they did not exist (DESIGN.md "Who may call").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ProjectIsolationTests(ApiFixture api)
{
    private const string Mine = "proj-mine";
    private const string Other = "proj-other";
    private const string ApiDirect = "plugin-api-direct-mon-webhook";

    [Fact]
    public async Task Member_ReadsOnlyItsProjects_WhateverTheQuerySays()
    {
        var (domain, mine, other) = await TwoProjectsAsync();
        using var member = Member(domain, [Mine]);
        var otherEvent = (string)(await api.Client.EventsOfAsync(domain, Id(other)))[0]!["event_id"]!;
        string[] secrets = [Id(other), EventTestKit.Key(other), otherEvent, Other];

        var answers = new List<HttpResponseMessage>
        {
            await member.GetAsync("/monitoring/v1/webhooks"),
            await member.GetAsync($"/monitoring/v1/webhooks?project_id={Other}"),
            await member.PostAsJsonAsync("/monitoring/v1/webhooks/search", Query(new JsonObject
            {
                ["filter_or"] = new JsonArray(Condition("project_id", Other, "eq"), Condition("name", "other", "eq")),
            })),
            await member.PostAsJsonAsync("/monitoring/v1/webhooks/search", Query(new JsonObject
            {
                ["filter"] = new JsonArray(Condition("project_id", new JsonArray(Mine), "not_in")),
            })),
            await member.PostAsJsonAsync("/monitoring/v1/webhooks/stat", Query(new JsonObject { ["distinct"] = "project_id" })),
            await member.PostAsJsonAsync("/monitoring/v1/webhooks/stat", Query(new JsonObject { ["distinct"] = "access_key" })),
            await member.PostAsJsonAsync("/monitoring/v1/webhooks/stat", Query(GroupByProject())),
            await member.GetAsync("/monitoring/v1/events"),
            await member.GetAsync($"/monitoring/v1/events?webhook_id={Id(other)}"),
            await member.PostAsJsonAsync("/monitoring/v1/events/search", Query(new JsonObject
            {
                ["filter_or"] = new JsonArray(Condition("project_id", Other, "eq"), Condition("event_id", otherEvent, "eq")),
            })),
            await member.PostAsJsonAsync("/monitoring/v1/events/stat", Query(new JsonObject { ["distinct"] = "project_id" })),
            await member.PostAsJsonAsync("/monitoring/v1/events/stat", Query(GroupByProject())),
        };

        foreach (var answer in answers)
        {
            var text = (await answer.JsonAsync()).ToJsonString();
            Assert.DoesNotContain(secrets, text.Contains);
        }

        Assert.Contains(Id(mine), (await answers[0].Content.ReadAsStringAsync()));
        Assert.Contains(Mine, (await answers[4].Content.ReadAsStringAsync()));
        Assert.Contains(Mine, (await answers[10].Content.ReadAsStringAsync()));
        await (await member.GetAsync($"/monitoring/v1/webhook/{Id(other)}")).ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        await (await member.GetAsync($"/monitoring/v1/event/{otherEvent}")).ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        await (await member.GetAsync($"/monitoring/v1/webhook/{Id(mine)}")).JsonAsync();
    }

    [Fact]
    public async Task Member_CannotChangeAnotherProjectsWebhook_ItIs404AndUnchanged()
    {
        var (domain, _, other) = await TwoProjectsAsync();
        using var member = Member(domain, [Mine]);
        var id = Id(other);
        var before = (await api.Client.WebhookAsync(domain, id)).ToJsonString();

        var answers = new[]
        {
            await member.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{id}", new { name = "renamed" }),
            await member.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{id}/plugin", new { options = new { } }),
            await member.SendJsonAsync(HttpMethod.Post, $"/monitoring/v1/webhook/{id}/plugin/verify", new { }),
            await member.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{id}/disable", new { }),
            await member.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{id}/enable", new { }),
            await member.SendJsonAsync(HttpMethod.Post, $"/monitoring/v1/webhook/{id}/events/replay", new { }),
            await member.DeleteAsync($"/monitoring/v1/webhook/{id}"),
        };

        foreach (var answer in answers)
        {
            await answer.ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        }

        Assert.Equal(before, (await api.Client.WebhookAsync(domain, id)).ToJsonString());
        Assert.Single(await api.Client.EventsOfAsync(domain, id));
    }

    [Fact]
    public async Task Member_CreatesOnlyInItsProjects()
    {
        var domain = ApiClientExtensions.NewDomain();
        using var member = Member(domain, [Mine]);

        var outside = await member.PostAsJsonAsync("/monitoring/v1/webhooks", CreateBody("x", Other));
        var inside = await member.PostAsJsonAsync("/monitoring/v1/webhooks", CreateBody("y", Mine));

        var problem = await outside.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        Assert.Contains("project_id", (string?)problem["detail"]);
        var created = await inside.JsonAsync();
        Assert.Equal(domain, (string?)created["domain_id"]);
        var all = await (await api.Client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();
        Assert.Equal(1, (int?)all["total_count"]);
    }

    [Fact]
    public async Task EmptyProjects_SeesNothing_AbsentProjects_SeesTheWholeDomain()
    {
        var (domain, mine, other) = await TwoProjectsAsync();
        using var none = Member(domain, []);
        using var everyone = Member(domain, null);

        var nothing = await (await none.GetAsync("/monitoring/v1/webhooks")).JsonAsync();
        var everything = await (await everyone.GetAsync("/monitoring/v1/webhooks")).JsonAsync();

        Assert.Equal(0, (int?)nothing["total_count"]);
        await (await none.GetAsync($"/monitoring/v1/webhook/{Id(mine)}")).ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        Assert.Equal(2, (int?)everything["total_count"]);
        Assert.Contains(Id(other), everything.ToJsonString());
    }

    [Fact]
    public async Task DomainId_MayBeLeftOut_TheTokensIsUsed()
    {
        var (domain, mine, _) = await TwoProjectsAsync();
        using var member = Member(domain, [Mine]);

        var listed = await (await member.GetAsync("/monitoring/v1/webhooks")).JsonAsync();
        var named = await (await member.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();
        var disabled = await (await member.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(mine)}/disable", new { })).JsonAsync();

        Assert.Equal(listed.ToJsonString(), named.ToJsonString());
        Assert.Equal("DISABLED", (string?)disabled["state"]);
    }

    /// <summary>A domain with one api-direct webhook (and one parsed event) in each of two projects.</summary>
    private async Task<(string Domain, JsonObject Mine, JsonObject Other)> TwoProjectsAsync()
    {
        var domain = ApiClientExtensions.NewDomain();
        var mine = await api.Client.CreateWebhookAsync(domain, "mine", ApiDirect, Mine);
        var other = await api.Client.CreateWebhookAsync(domain, "other", ApiDirect, Other);
        foreach (var webhook in new[] { mine, other })
        {
            var sent = await api.Client.PostEventAsync(webhook, """{"event_key": "k", "title": "disk full"}""");
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            await api.Client.WaitForEventsAsync(api.Database, domain, Id(webhook), 1);
        }

        return (domain, mine, other);
    }

    private HttpClient Member(string domain, string[]? projects) =>
        api.Factory.CreateClient().Authorized(TestTokens.User(domain, projects));

    private static string Id(JsonObject webhook) => (string)webhook["webhook_id"]!;

    private static JsonObject Query(JsonObject query) => new() { ["query"] = query };

    private static JsonObject Condition(string key, JsonNode value, string op) => new() { ["k"] = key, ["v"] = value, ["o"] = op };

    private static JsonObject GroupByProject() => new()
    {
        ["aggregate"] = new JsonArray(new JsonObject
        {
            ["group"] = new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject { ["key"] = "project_id", ["name"] = "project_id" }),
                ["fields"] = new JsonArray(new JsonObject { ["operator"] = "count", ["name"] = "count" }),
            },
        }),
    };

    private static object CreateBody(string name, string project) => new
    {
        name, project_id = project, plugin_info = new { plugin_id = "plugin-test-ok" },
    };
}
