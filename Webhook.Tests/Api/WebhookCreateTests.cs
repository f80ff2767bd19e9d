using System.Text.RegularExpressions;

namespace Webhook.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class WebhookCreateTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private Task<long> CountAsync(string domainId) =>
        api.Database.ScalarAsync<long>("SELECT count(*) FROM webhooks WHERE domain_id = $1", domainId);

    [Fact]
    public async Task Create_WithValidRequest_ReturnsWebhookInfo()
    {
        var domain = ApiClientExtensions.NewDomain();

        var webhook = await _client.CreateWebhookAsync(domain, "prometheus prod", extra: new
        {
            tags = new { env = "prod" },
            plugin_info = new { plugin_id = "plugin-test-ok", options = new { channel = "#ops" }, upgrade_mode = "MANUAL" },
        });

        var id = (string)webhook["webhook_id"]!;
        var key = (string)webhook["access_key"]!;
        Assert.Matches("^webhook-[0-9a-f]{12}$", id);
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.Equal($"http://localhost/monitoring/v1/webhook/{id}/{key}/events", (string)webhook["webhook_url"]!);
        Assert.Equal("prometheus prod", (string)webhook["name"]!);
        Assert.Equal("ENABLED", (string)webhook["state"]!);
        Assert.Equal("project-1", (string)webhook["project_id"]!);
        Assert.Equal(domain, (string)webhook["domain_id"]!);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", (string)webhook["created_at"]!);
        var created = DateTimeOffset.Parse((string)webhook["created_at"]!);
        Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("prod", (string)webhook["tags"]!["env"]!);
        Assert.Equal("everything", (string)webhook["capability"]!["supports"]!);
        var plugin = webhook["plugin_info"]!;
        Assert.Equal("plugin-test-ok", (string)plugin["plugin_id"]!);
        Assert.Equal("1.0.0", (string)plugin["version"]!);
        Assert.Equal("#ops", (string)plugin["options"]!["channel"]!);
        Assert.Equal("MANUAL", (string)plugin["upgrade_mode"]!);
        Assert.Equal("ok", (string)plugin["metadata"]!["served_by"]!);
        Assert.Equal("#ops", (string)plugin["metadata"]!["options_seen"]!["channel"]!);
        Assert.Equal(0, (long)webhook["requests"]!["total"]!);
        Assert.Equal(0, (long)webhook["requests"]!["error"]!);
        Assert.Equal(1, await CountAsync(domain));
    }

    [Fact]
    public async Task Create_WithoutUpgradeModeOrTags_DefaultsToAutoAndEmptyTags()
    {
        var webhook = await _client.CreateWebhookAsync(ApiClientExtensions.NewDomain());

        Assert.Equal("AUTO", (string)webhook["plugin_info"]!["upgrade_mode"]!);
        Assert.Empty(webhook["tags"]!.AsObject());
        Assert.Empty(webhook["plugin_info"]!["options"]!.AsObject());
    }

    [Theory]
    [InlineData("prometheus")]
    [InlineData("grafana")]
    [InlineData("aws-sns")]
    [InlineData("api-direct")]
    [InlineData("azure-monitor")]
    public async Task Create_WithStandardPlugin_StoresTheMetadataItsInitReturned(string plugin)
    {
        var webhook = await _client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), pluginId: $"plugin-{plugin}-mon-webhook");

        var metadata = webhook["plugin_info"]!["metadata"]!.AsObject();
        Assert.False(string.IsNullOrEmpty((string?)metadata["name"]), metadata.ToJsonString());
    }

    [Fact]
    public async Task Create_WithoutVersion_UsesTheNewestVersion()
    {
        var webhook = await _client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), pluginId: "plugin-test-versions");

        Assert.Equal("1.2.0", (string)webhook["plugin_info"]!["version"]!);
        Assert.Equal("ok-v12", (string)webhook["plugin_info"]!["metadata"]!["served_by"]!);
    }

    [Fact]
    public async Task Create_WithExplicitVersion_UsesThatVersion()
    {
        var webhook = await _client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), extra: new
        {
            plugin_info = new { plugin_id = "plugin-test-versions", version = "1.0.0" },
        });

        Assert.Equal("1.0.0", (string)webhook["plugin_info"]!["version"]!);
        Assert.Equal("ok", (string)webhook["plugin_info"]!["metadata"]!["served_by"]!);
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { """{"project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok"}}""", "ERROR_REQUIRED_PARAMETER", "name" },
        { """{"name":"","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok"}}""", "ERROR_REQUIRED_PARAMETER", "name" },
        { """{"name":"n","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok"}}""", "ERROR_REQUIRED_PARAMETER", "project_id" },
        { """{"name":"n","project_id":"p","plugin_info":{"plugin_id":"plugin-test-ok"}}""", "ERROR_REQUIRED_PARAMETER", "domain_id" },
        { """{"name":"n","project_id":"p","domain_id":"D"}""", "ERROR_REQUIRED_PARAMETER", "plugin_info" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{}}""", "ERROR_REQUIRED_PARAMETER", "plugin_info.plugin_id" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok"},"colour":"red"}""", "ERROR_INVALID_ARGUMENT", "colour" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok","optoins":{}}}""", "ERROR_INVALID_ARGUMENT", "plugin_info.optoins" },
        { """{"name":5,"project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok"}}""", "ERROR_INVALID_PARAMETER_TYPE", "name" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok"},"tags":["a"]}""", "ERROR_INVALID_PARAMETER_TYPE", "tags" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok","options":"x"}}""", "ERROR_INVALID_PARAMETER_TYPE", "plugin_info.options" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok","upgrade_mode":"SOMETIMES"}}""", "ERROR_INVALID_ARGUMENT", "plugin_info.upgrade_mode" },
        { """{"name":"n","name":"m","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-ok"}}""", "ERROR_INVALID_ARGUMENT", "name" },
        { """{"name":"n","project_id":"p","domain_id":"D",""", "ERROR_INVALID_ARGUMENT", "" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-nope"}}""", "ERROR_PLUGIN_NOT_FOUND", "plugin_info.plugin_id" },
        { """{"name":"n","project_id":"p","domain_id":"D","plugin_info":{"plugin_id":"plugin-test-versions","version":"9.9.9"}}""", "ERROR_PLUGIN_VERSION_NOT_FOUND", "plugin_info.version" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidBody_Returns400NamingTheFieldAndStoresNothing(string body, string code, string key)
    {
        var domain = ApiClientExtensions.NewDomain();

        var response = await _client.SendRawAsync(HttpMethod.Post, "/monitoring/v1/webhooks", body.Replace("\"D\"", $"\"{domain}\""));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, code);
        if (key != "")
        {
            Assert.Contains($"(key = {key})", (string)problem["detail"]!);
            Assert.NotNull(problem["errors"]![key]);
        }

        Assert.Equal(0, await CountAsync(domain));
    }

    [Fact]
    public async Task Create_WhenNameTakenInProject_Returns409()
    {
        var domain = ApiClientExtensions.NewDomain();
        await _client.CreateWebhookAsync(domain, "same");

        var response = await _client.PostAsJsonAsync("/monitoring/v1/webhooks", new
        {
            name = "same", project_id = "project-1", domain_id = domain, plugin_info = new { plugin_id = "plugin-test-ok" },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "ERROR_NOT_UNIQUE");
        Assert.Contains("key = name", (string)problem["detail"]!);
        Assert.Equal(1, await CountAsync(domain));
    }

    [Fact]
    public async Task Create_WithSameNameInOtherProjectOrDomain_Succeeds()
    {
        var domain = ApiClientExtensions.NewDomain();
        var other = ApiClientExtensions.NewDomain();
        await _client.CreateWebhookAsync(domain, "same");

        await _client.CreateWebhookAsync(domain, "same", projectId: "project-2");
        await _client.CreateWebhookAsync(other, "same");

        Assert.Equal(2, await CountAsync(domain));
        Assert.Equal(1, await CountAsync(other));
    }

    [Fact]
    public async Task Create_ConcurrentlyWithOneName_StoresExactlyOne()
    {
        var domain = ApiClientExtensions.NewDomain();
        var body = new { name = "race", project_id = "project-1", domain_id = domain, plugin_info = new { plugin_id = "plugin-test-ok" } };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => _client.PostAsJsonAsync("/monitoring/v1/webhooks", body)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.ProblemAsync(HttpStatusCode.Conflict, "ERROR_NOT_UNIQUE");
        }

        Assert.Equal(1, await CountAsync(domain));
    }

    [Theory]
    [InlineData("plugin-test-fail")]
    [InlineData("plugin-test-slow")]
    [InlineData("plugin-test-down")]
    public async Task Create_WhenPluginUnavailable_Returns502AndStoresNothing(string pluginId)
    {
        var domain = ApiClientExtensions.NewDomain();
        await using var impatient = api.FactoryWith(new() { ["Webhook:PluginTimeoutSeconds"] = "1" });
        using var client = impatient.CreateClient();

        var response = await client.PostAsJsonAsync("/monitoring/v1/webhooks", new
        {
            name = "n", project_id = "project-1", domain_id = domain, plugin_info = new { plugin_id = pluginId },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadGateway, "ERROR_PLUGIN_UNAVAILABLE");
        Assert.DoesNotContain("Exception", (string)problem["detail"]!);
        Assert.Equal(0, await CountAsync(domain));
    }

    [Fact]
    public async Task Create_WhenPluginAnswers5xx_RetriesBeforeGivingUp()
    {
        var before = api.Faulty.Calls("fail/webhook/init");

        var response = await _client.PostAsJsonAsync("/monitoring/v1/webhooks", new
        {
            name = "n", project_id = "project-1", domain_id = ApiClientExtensions.NewDomain(),
            plugin_info = new { plugin_id = "plugin-test-fail" },
        });

        await response.ProblemAsync(HttpStatusCode.BadGateway, "ERROR_PLUGIN_UNAVAILABLE");
        Assert.Equal(2, api.Faulty.Calls("fail/webhook/init") - before);
    }

    [Fact]
    public async Task Create_WhenPluginRejectsOptions_Returns400WithItsMessageAndStoresNothing()
    {
        var domain = ApiClientExtensions.NewDomain();

        var response = await _client.PostAsJsonAsync("/monitoring/v1/webhooks", new
        {
            name = "n", project_id = "project-1", domain_id = domain, plugin_info = new { plugin_id = "plugin-test-reject" },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_PLUGIN_REJECTED");
        Assert.Contains("option 'token' is required", (string)problem["detail"]!);
        Assert.Equal(0, await CountAsync(domain));
    }

    [Fact]
    public async Task Create_WhenStandardPluginRejectsUnknownOption_Returns400NamingTheOption()
    {
        var domain = ApiClientExtensions.NewDomain();

        var response = await _client.PostAsJsonAsync("/monitoring/v1/webhooks", new
        {
            name = "n", project_id = "project-1", domain_id = domain,
            plugin_info = new { plugin_id = "plugin-prometheus-mon-webhook", options = new { no_such_option = true } },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_PLUGIN_REJECTED");
        Assert.Contains("no_such_option", (string)problem["detail"]!);
        Assert.Equal(0, await CountAsync(domain));
    }

    [Fact]
    public async Task Create_WithPublicBaseUrlConfigured_BuildsTheUrlFromIt()
    {
        await using var factory = api.FactoryWith(new() { ["Webhook:PublicBaseUrl"] = "https://hooks.example.com/" });
        using var client = factory.CreateClient();

        var webhook = await client.CreateWebhookAsync(ApiClientExtensions.NewDomain());

        Assert.Matches(new Regex("^https://hooks.example.com/monitoring/v1/webhook/webhook-[0-9a-f]{12}/[0-9a-f]{32}/events$"),
            (string)webhook["webhook_url"]!);
    }
}
