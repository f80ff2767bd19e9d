using Webhook.Tests.Events;

namespace Webhook.Tests.Auth;

/// <summary>DESIGN.md "Who may call", audit log: one entry per accepted change, none for a rejected one, never a key.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuditTests(ApiFixture api)
{
    [Fact]
    public async Task EveryAcceptedChange_WritesOneEntry_NewestFirst_WithWhoRouteAndChanges()
    {
        var domain = ApiClientExtensions.NewDomain();
        using var alice = api.Factory.CreateClient().Authorized(TestTokens.Create(domain, subject: "alice"));
        var webhook = await alice.CreateWebhookAsync(domain, "hook", extra: new { tags = new { env = "prod" } });
        var id = EventTestKit.Id(webhook);
        var path = $"/monitoring/v1/webhook/{id}";

        await (await alice.SendJsonAsync(HttpMethod.Put, path, new { name = "renamed" })).JsonAsync();
        await (await alice.SendJsonAsync(HttpMethod.Put, $"{path}/plugin", new { options = new { token = "s3cr3t-option" }, upgrade_mode = "MANUAL" })).JsonAsync();
        await (await alice.SendJsonAsync(HttpMethod.Put, $"{path}/disable", new { })).JsonAsync();
        await (await alice.SendJsonAsync(HttpMethod.Put, $"{path}/enable", new { })).JsonAsync();
        var rotated = await (await alice.PostAsJsonAsync($"{path}/access-key/rotate", new { grace_seconds = 0 })).JsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await alice.PostEventAsync(rotated, """{"a": 1}""")).StatusCode);
        await EventTestKit.WaitUntilAsync(async () => await EventTestKit.PendingAsync(api.Database, id) == 0, "the request parsed");
        await (await alice.PostAsJsonAsync($"{path}/events/replay", new { })).JsonAsync();
        await (await alice.DeleteAsync(path)).JsonAsync();

        var entries = await SearchAsync(alice, new JsonObject());

        Assert.Equal(
            ["delete", "replay", "rotate_access_key", "enable", "disable", "update_plugin", "update", "create"],
            entries.Select(e => (string)e!["action"]!));
        Assert.All(entries, e =>
        {
            Assert.Equal("alice", (string?)e!["sub"]);
            Assert.Equal(id, (string?)e["webhook_id"]);
            Assert.Equal("project-1", (string?)e["project_id"]);
            Assert.Equal(domain, (string?)e["domain_id"]);
            Assert.Matches("^audit-[0-9a-f]{12}$", (string?)e["audit_id"]);
        });
        Assert.Equal("PUT /monitoring/v1/webhook/{webhook_id}/disable", (string?)entries[4]!["route"]);
        Assert.Equal("DISABLED", (string?)entries[4]!["changes"]!["state"]);
        Assert.Equal("renamed", (string?)entries[6]!["changes"]!["name"]);
        Assert.Equal("prod", (string?)entries[7]!["changes"]!["tags"]!["env"]);
        var all = entries.ToJsonString();
        Assert.DoesNotContain(EventTestKit.Key(webhook), all);
        Assert.DoesNotContain(EventTestKit.Key(rotated), all);
        Assert.DoesNotContain("s3cr3t-option", all);
        Assert.DoesNotContain("webhook_url", all);
    }

    [Fact]
    public async Task RejectedRequests_WriteNothing()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "taken", projectId: "proj-a");
        var path = $"/monitoring/v1/webhook/{EventTestKit.Id(webhook)}";
        using var member = api.Factory.CreateClient().Authorized(TestTokens.User(domain, ["proj-b"]));

        var rejected = new[]
        {
            await api.Client.SendJsonAsync(HttpMethod.Put, path, new { name = "", domain_id = domain }),
            await api.Client.PostAsJsonAsync("/monitoring/v1/webhooks", new
            {
                name = "taken", project_id = "proj-a", domain_id = domain, plugin_info = new { plugin_id = "plugin-test-ok" },
            }),
            await api.Client.PostAsJsonAsync($"{path}/access-key/rotate", new { domain_id = domain, grace_seconds = -5 }),
            await member.SendJsonAsync(HttpMethod.Put, $"{path}/disable", new { }),
            await member.DeleteAsync(path),
            await api.Client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/webhook-000000000000/enable", new { domain_id = domain }),
        };

        Assert.All(rejected, r => Assert.True((int)r.StatusCode >= 400, $"{r.RequestMessage!.RequestUri} answered {r.StatusCode}"));
        var entries = await SearchAsync(api.Client, new JsonObject { ["domain_id"] = domain });
        Assert.Equal("create", (string?)Assert.Single(entries)!["action"]);
    }

    [Fact]
    public async Task Search_StaysInTheCallersDomainAndProjects_AndTakesTheQueryLanguage()
    {
        var domain = ApiClientExtensions.NewDomain();
        var mine = await api.Client.CreateWebhookAsync(domain, "mine", projectId: "proj-a");
        await api.Client.CreateWebhookAsync(domain, "other", projectId: "proj-b");
        await api.Client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), "elsewhere", projectId: "proj-a");
        using var member = api.Factory.CreateClient().Authorized(TestTokens.User(domain, ["proj-a"]));

        var visible = await SearchAsync(member, new JsonObject());
        var filtered = await SearchAsync(member, new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["filter_or"] = new JsonArray(
                    new JsonObject { ["k"] = "project_id", ["v"] = "proj-b", ["o"] = "eq" },
                    new JsonObject { ["k"] = "action", ["v"] = "create", ["o"] = "eq" }),
            },
        });

        Assert.Equal(EventTestKit.Id(mine), (string?)Assert.Single(visible)!["webhook_id"]);
        Assert.Equal(EventTestKit.Id(mine), (string?)Assert.Single(filtered)!["webhook_id"]);
    }

    private static async Task<JsonArray> SearchAsync(HttpClient client, JsonObject body)
    {
        var page = await (await client.PostAsJsonAsync("/monitoring/v1/audit/search", body)).JsonAsync();
        return page["results"]!.AsArray();
    }
}
