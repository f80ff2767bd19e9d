namespace Webhook.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class PlatformTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task Plugins_ListsTheRegistryWithVersionsNewestFirst()
    {
        var body = await (await _client.GetAsync("/monitoring/v1/plugins")).JsonAsync();

        var plugins = body["results"]!.AsArray().ToDictionary(p => (string)p!["plugin_id"]!);
        foreach (var plugin in ApiFixture.StandardPlugins)
        {
            Assert.Contains($"plugin-{plugin}-mon-webhook", plugins.Keys);
        }

        Assert.Equal("""["1.2.0","1.0.0"]""", plugins["plugin-test-versions"]!["versions"]!.ToJsonString());
        Assert.Equal("everything", (string)plugins["plugin-test-ok"]!["capability"]!["supports"]!);
        Assert.Equal("Test OK", (string)plugins["plugin-test-ok"]!["name"]!);
    }

    [Fact]
    public async Task ErrorBodies_QuoteTheRequestsW3cTraceId_TheCallersOwnWhenItSentOne()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/monitoring/v1/webhook/webhook-000000000000?domain_id={ApiClientExtensions.NewDomain()}");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        var traced = await (await _client.SendAsync(request)).ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        var untraced = await (await _client.GetAsync($"/monitoring/v1/webhook/webhook-000000000000?domain_id={ApiClientExtensions.NewDomain()}"))
            .ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");

        Assert.Equal(traceId, (string)traced["trace_id"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)untraced["trace_id"]!);
        Assert.NotEqual(traceId, (string)untraced["trace_id"]!);
    }

    [Fact]
    public async Task Health_LiveAndReady_Answer200()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Ready_WhenDatabaseUnreachable_Answers503ButLiveStays200()
    {
        await using var factory = api.FactoryWith(new()
        {
            ["ConnectionStrings:Webhook"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
            ["Webhook:ApplyMigrationsOnStart"] = "false",
        });
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Routes_WhenDatabaseUnreachable_Answer503WithRetryAfter()
    {
        await using var factory = api.FactoryWith(new()
        {
            ["ConnectionStrings:Webhook"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
            ["Webhook:ApplyMigrationsOnStart"] = "false",
        });
        using var client = factory.CreateClient();

        var get = await client.GetAsync("/monitoring/v1/webhook/webhook-000000000000?domain_id=d");
        var create = await client.PostAsJsonAsync("/monitoring/v1/webhooks", new
        {
            name = "n", project_id = "p", domain_id = "d", plugin_info = new { plugin_id = "plugin-test-ok" },
        });

        var problem = await get.ProblemAsync(HttpStatusCode.ServiceUnavailable, "ERROR_SERVICE_UNAVAILABLE");
        Assert.DoesNotContain("Npgsql", problem.ToJsonString());
        Assert.Equal("5", get.Headers.RetryAfter?.ToString());
        await create.ProblemAsync(HttpStatusCode.ServiceUnavailable, "ERROR_SERVICE_UNAVAILABLE");
    }

    [Fact]
    public async Task Swagger_DocumentsEveryRouteWithSnakeCaseEnumsAndExamples()
    {
        var document = await (await _client.GetAsync("/swagger/v1/swagger.json")).JsonAsync();

        var paths = document["paths"]!.AsObject();
        foreach (var (path, method) in new[]
                 {
                     ("/monitoring/v1/webhooks", "post"), ("/monitoring/v1/webhook/{webhook_id}", "put"),
                     ("/monitoring/v1/webhook/{webhook_id}/plugin", "put"), ("/monitoring/v1/webhook/{webhook_id}/plugin/verify", "post"),
                     ("/monitoring/v1/webhook/{webhook_id}/enable", "put"), ("/monitoring/v1/webhook/{webhook_id}/disable", "put"),
                     ("/monitoring/v1/webhook/{webhook_id}", "delete"), ("/monitoring/v1/webhook/{webhook_id}", "get"),
                     ("/monitoring/v1/webhooks", "get"), ("/monitoring/v1/webhooks/search", "post"),
                     ("/monitoring/v1/webhooks/stat", "post"), ("/monitoring/v1/plugins", "get"),
                     ("/monitoring/v1/webhook/{webhook_id}/{access_key}/events", "post"),
                     ("/monitoring/v1/event/{event_id}", "get"), ("/monitoring/v1/events", "get"),
                     ("/monitoring/v1/events/search", "post"), ("/monitoring/v1/events/stat", "post"),
                     ("/monitoring/v1/webhook/{webhook_id}/events/replay", "post"),
                 })
        {
            Assert.True(paths[path]?[method] is not null, $"{method.ToUpperInvariant()} {path} is not documented");
        }

        var schemas = document["components"]!["schemas"]!;
        Assert.NotNull(schemas["CreateWebhookRequest"]!["properties"]!["plugin_info"]);
        Assert.Contains("AUTO", schemas["UpgradeModeRequest"]!["enum"]!.ToJsonString());
        var example = paths["/monitoring/v1/webhooks"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"];
        Assert.Equal("plugin-prometheus-mon-webhook", (string)example!["plugin_info"]!["plugin_id"]!);
        foreach (var (path, method) in new[]
                 {
                     ("/monitoring/v1/webhook/{webhook_id}", "put"), ("/monitoring/v1/webhook/{webhook_id}/plugin", "put"),
                     ("/monitoring/v1/webhook/{webhook_id}/plugin/verify", "post"), ("/monitoring/v1/webhook/{webhook_id}/enable", "put"),
                     ("/monitoring/v1/webhook/{webhook_id}/disable", "put"), ("/monitoring/v1/webhooks/search", "post"),
                     ("/monitoring/v1/webhooks/stat", "post"), ("/monitoring/v1/events/search", "post"),
                     ("/monitoring/v1/events/stat", "post"), ("/monitoring/v1/webhook/{webhook_id}/events/replay", "post"),
                 })
        {
            Assert.True(paths[path]![method]!["requestBody"]!["content"]!["application/json"]!["example"] is JsonObject,
                $"{method.ToUpperInvariant()} {path} has no example body");
        }
    }
}
