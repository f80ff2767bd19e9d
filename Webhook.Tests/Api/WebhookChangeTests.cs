namespace Webhook.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class WebhookChangeTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private async Task<JsonObject> GetAsync(string domain, string id, HttpClient? client = null) =>
        await (await (client ?? _client).GetAsync($"/monitoring/v1/webhook/{id}?domain_id={domain}")).JsonAsync();

    private static string Id(JsonObject webhook) => (string)webhook["webhook_id"]!;

    [Fact]
    public async Task Update_WithNameAndTags_ReplacesBoth()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "old", extra: new { tags = new { env = "dev", team = "a" } });

        var updated = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}",
            new { name = "new", tags = new { env = "prod" }, domain_id = domain })).JsonAsync();

        Assert.Equal("new", (string)updated["name"]!);
        Assert.Equal("""{"env":"prod"}""", updated["tags"]!.ToJsonString());
        Assert.Equal(updated.ToJsonString(), (await GetAsync(domain, Id(webhook))).ToJsonString());
    }

    [Fact]
    public async Task Update_WithOnlyTags_KeepsTheName()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "keep");

        var updated = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}",
            new { tags = new { a = "b" }, domain_id = domain, webhook_id = Id(webhook) })).JsonAsync();

        Assert.Equal("keep", (string)updated["name"]!);
        Assert.Equal("b", (string)updated["tags"]!["a"]!);
    }

    [Fact]
    public async Task Update_WhenNameTakenInProject_Returns409AndKeepsTheOldName()
    {
        var domain = ApiClientExtensions.NewDomain();
        await _client.CreateWebhookAsync(domain, "first");
        var second = await _client.CreateWebhookAsync(domain, "second");

        var response = await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(second)}",
            new { name = "first", domain_id = domain });

        await response.ProblemAsync(HttpStatusCode.Conflict, "ERROR_NOT_UNIQUE");
        Assert.Equal("second", (string)(await GetAsync(domain, Id(second)))["name"]!);
    }

    [Theory]
    [InlineData("""{"name":"","domain_id":"D"}""", "ERROR_INVALID_ARGUMENT", "name")]
    [InlineData("""{"name":"x"}""", "ERROR_REQUIRED_PARAMETER", "domain_id")]
    [InlineData("""{"tags":"x","domain_id":"D"}""", "ERROR_INVALID_PARAMETER_TYPE", "tags")]
    [InlineData("""{"state":"DISABLED","domain_id":"D"}""", "ERROR_INVALID_ARGUMENT", "state")]
    [InlineData("""{"webhook_id":"webhook-000000000000","name":"x","domain_id":"D"}""", "ERROR_INVALID_ARGUMENT", "webhook_id")]
    public async Task Update_WithInvalidBody_Returns400AndChangesNothing(string body, string code, string key)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "unchanged");

        var response = await _client.SendRawAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}", body.Replace("\"D\"", $"\"{domain}\""));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Contains($"key = {key}", (string)problem["detail"]!);
        Assert.Equal(webhook.ToJsonString(), (await GetAsync(domain, Id(webhook))).ToJsonString());
    }

    [Fact]
    public async Task UpdatePlugin_WithOptions_ReplacesThemAndStoresTheNewMetadata()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, extra: new
        {
            plugin_info = new { plugin_id = "plugin-test-ok", options = new { a = 1 }, upgrade_mode = "MANUAL" },
        });

        var updated = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/plugin",
            new { options = new { b = 2 }, domain_id = domain })).JsonAsync();

        var plugin = updated["plugin_info"]!;
        Assert.Equal("""{"b":2}""", plugin["options"]!.ToJsonString());
        Assert.Equal("""{"b":2}""", plugin["metadata"]!["options_seen"]!.ToJsonString());
        Assert.Equal("MANUAL", (string)plugin["upgrade_mode"]!);
        Assert.Equal("1.0.0", (string)plugin["version"]!);
    }

    [Fact]
    public async Task UpdatePlugin_WithEmptyOptions_ClearsThemAndKeepsOtherFields()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, extra: new
        {
            plugin_info = new { plugin_id = "plugin-test-versions", version = "1.0.0", options = new { a = 1 }, upgrade_mode = "MANUAL" },
        });

        var updated = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/plugin",
            new { options = new { }, domain_id = domain })).JsonAsync();

        Assert.Equal("{}", updated["plugin_info"]!["options"]!.ToJsonString());
        Assert.Equal("1.0.0", (string)updated["plugin_info"]!["version"]!);
        Assert.Equal("MANUAL", (string)updated["plugin_info"]!["upgrade_mode"]!);
    }

    [Fact]
    public async Task UpdatePlugin_WithVersionAndMode_MovesToThatVersion()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, pluginId: "plugin-test-versions");

        var updated = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/plugin",
            new { version = "1.0.0", upgrade_mode = "MANUAL", domain_id = domain })).JsonAsync();

        Assert.Equal("1.0.0", (string)updated["plugin_info"]!["version"]!);
        Assert.Equal("ok", (string)updated["plugin_info"]!["metadata"]!["served_by"]!);
        Assert.Equal("MANUAL", (string)updated["plugin_info"]!["upgrade_mode"]!);
    }

    [Fact]
    public async Task UpdatePlugin_ToAutoWithoutVersion_MovesToTheNewest()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, extra: new
        {
            plugin_info = new { plugin_id = "plugin-test-versions", version = "1.0.0", upgrade_mode = "MANUAL" },
        });

        var updated = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/plugin",
            new { upgrade_mode = "AUTO", domain_id = domain })).JsonAsync();

        Assert.Equal("1.2.0", (string)updated["plugin_info"]!["version"]!);
        Assert.Equal("AUTO", (string)updated["plugin_info"]!["upgrade_mode"]!);
    }

    [Theory]
    [InlineData("""{"version":"7.0.0","domain_id":"D"}""", HttpStatusCode.BadRequest, "ERROR_PLUGIN_VERSION_NOT_FOUND")]
    [InlineData("""{"options":[],"domain_id":"D"}""", HttpStatusCode.BadRequest, "ERROR_INVALID_PARAMETER_TYPE")]
    [InlineData("""{"upgrade_mode":"auto","domain_id":"D"}""", HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT")]
    [InlineData("""{"plugin_id":"plugin-test-ok","domain_id":"D"}""", HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT")]
    [InlineData("""{"options":{}}""", HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER")]
    public async Task UpdatePlugin_WithInvalidRequest_ReturnsErrorAndChangesNothing(string body, HttpStatusCode status, string code)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, pluginId: "plugin-test-versions", extra: new
        {
            plugin_info = new { plugin_id = "plugin-test-versions", options = new { keep = true } },
        });

        var response = await _client.SendRawAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/plugin", body.Replace("\"D\"", $"\"{domain}\""));

        await response.ProblemAsync(status, code);
        Assert.Equal(webhook.ToJsonString(), (await GetAsync(domain, Id(webhook))).ToJsonString());
    }

    [Fact]
    public async Task UpdatePlugin_WhenPluginRejectsOrIsDown_ChangesNothing()
    {
        var domain = ApiClientExtensions.NewDomain();
        await using var broken = api.FactoryWith(new()
        {
            ["Plugins:plugin-test-ok:Versions:1.0.0"] = api.Faulty.Endpoint("reject"),
            ["Plugins:plugin-test-versions:Versions:1.0.0"] = api.Faulty.ClosedEndpoint,
        });
        using var client = broken.CreateClient();
        var rejecting = await _client.CreateWebhookAsync(domain, "a", extra: new { plugin_info = new { plugin_id = "plugin-test-ok", options = new { x = 1 } } });
        var down = await _client.CreateWebhookAsync(domain, "b", extra: new { plugin_info = new { plugin_id = "plugin-test-versions", version = "1.0.0", upgrade_mode = "MANUAL" } });

        var rejected = await client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(rejecting)}/plugin", new { options = new { y = 2 }, domain_id = domain });
        var unavailable = await client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(down)}/plugin", new { options = new { y = 2 }, domain_id = domain });

        await rejected.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_PLUGIN_REJECTED");
        await unavailable.ProblemAsync(HttpStatusCode.BadGateway, "ERROR_PLUGIN_UNAVAILABLE");
        Assert.Equal(rejecting.ToJsonString(), (await GetAsync(domain, Id(rejecting))).ToJsonString());
        Assert.Equal(down.ToJsonString(), (await GetAsync(domain, Id(down))).ToJsonString());
    }

    [Fact]
    public async Task VerifyPlugin_WhenPluginAccepts_ReturnsEmptyObject()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, pluginId: "plugin-prometheus-mon-webhook");

        var body = await (await _client.PostAsJsonAsync($"/monitoring/v1/webhook/{Id(webhook)}/plugin/verify", new { domain_id = domain })).JsonAsync();

        Assert.Empty(body);
    }

    [Theory]
    [InlineData("reject", HttpStatusCode.BadRequest, "ERROR_PLUGIN_REJECTED")]
    [InlineData("fail", HttpStatusCode.BadGateway, "ERROR_PLUGIN_UNAVAILABLE")]
    [InlineData("down", HttpStatusCode.BadGateway, "ERROR_PLUGIN_UNAVAILABLE")]
    public async Task VerifyPlugin_WhenPluginFails_ReturnsItsError(string behaviour, HttpStatusCode status, string code)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain);
        var endpoint = behaviour == "down" ? api.Faulty.ClosedEndpoint : api.Faulty.Endpoint(behaviour);
        await using var broken = api.FactoryWith(new() { ["Plugins:plugin-test-ok:Versions:1.0.0"] = endpoint });
        using var client = broken.CreateClient();

        var response = await client.PostAsJsonAsync($"/monitoring/v1/webhook/{Id(webhook)}/plugin/verify", new { domain_id = domain });

        await response.ProblemAsync(status, code);
    }

    [Fact]
    public async Task VerifyPlugin_WhenRegistryHasNewerVersion_MovesAutoWebhooksOnlyAndReinitialises()
    {
        var domain = ApiClientExtensions.NewDomain();
        var auto = await _client.CreateWebhookAsync(domain, "auto");
        var manual = await _client.CreateWebhookAsync(domain, "manual", extra: new { plugin_info = new { plugin_id = "plugin-test-ok", upgrade_mode = "MANUAL" } });
        await using var upgraded = api.FactoryWith(new() { ["Plugins:plugin-test-ok:Versions:2.0.0"] = api.Faulty.Endpoint("ok-v2") });
        using var client = upgraded.CreateClient();

        foreach (var webhook in new[] { auto, manual })
        {
            await (await client.PostAsJsonAsync($"/monitoring/v1/webhook/{Id(webhook)}/plugin/verify", new { domain_id = domain })).JsonAsync();
        }

        var autoAfter = (await GetAsync(domain, Id(auto)))["plugin_info"]!;
        Assert.Equal("2.0.0", (string)autoAfter["version"]!);
        Assert.Equal("ok-v2", (string)autoAfter["metadata"]!["served_by"]!);
        var manualAfter = (await GetAsync(domain, Id(manual)))["plugin_info"]!;
        Assert.Equal("1.0.0", (string)manualAfter["version"]!);
        Assert.Equal("ok", (string)manualAfter["metadata"]!["served_by"]!);
    }

    [Fact]
    public async Task DisableThenEnable_FlipsTheState()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain);

        var disabled = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/disable", new { domain_id = domain })).JsonAsync();
        var stored = await GetAsync(domain, Id(webhook));
        var enabled = await (await _client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/enable", new { domain_id = domain })).JsonAsync();

        Assert.Equal("DISABLED", (string)disabled["state"]!);
        Assert.Equal("DISABLED", (string)stored["state"]!);
        Assert.Equal("ENABLED", (string)enabled["state"]!);
        Assert.Equal("ENABLED", (string)(await GetAsync(domain, Id(webhook)))["state"]!);
    }

    [Fact]
    public async Task Delete_RemovesTheWebhook()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain);

        var body = await (await _client.DeleteAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}")).JsonAsync();

        Assert.Empty(body);
        await (await _client.GetAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}")).ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
        await (await _client.DeleteAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}")).ProblemAsync(HttpStatusCode.NotFound, "ERROR_NOT_FOUND");
    }

    [Theory]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}/enable")]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}/disable")]
    [InlineData("POST", "/monitoring/v1/webhook/{0}/plugin/verify")]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}")]
    [InlineData("PUT", "/monitoring/v1/webhook/{0}/plugin")]
    public async Task StateChanges_WithoutDomainId_Return400(string method, string route)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain);

        var response = await _client.SendRawAsync(new HttpMethod(method), string.Format(route, Id(webhook)), "{}");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER");
        Assert.Contains("key = domain_id", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("DELETE", "/monitoring/v1/webhook/{0}")]
    [InlineData("GET", "/monitoring/v1/webhook/{0}")]
    public async Task ReadAndDelete_WithoutDomainId_Return400(string method, string route)
    {
        var webhook = await _client.CreateWebhookAsync(ApiClientExtensions.NewDomain());

        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(route, Id(webhook))));

        await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER");
    }
}
