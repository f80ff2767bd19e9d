using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

/// <summary>
/// Requests acknowledged while the plugin host is down are parsed once it is back: on a database of their own,
/// so the shared fixture's worker (which reaches the real host) cannot parse them first.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PluginOutageTests(ApiFixture api)
{
    [Fact]
    public async Task Post_WhilePluginDown_IsAcknowledged_AndParsedWhenItComesBack()
    {
        await using var database = await TestDatabase.CreateAsync("webhook_outage");
        var domain = ApiClientExtensions.NewDomain();
        JsonObject webhook;
        await using (var setup = api.FactoryWith(new() { ["ConnectionStrings:Webhook"] = database.ConnectionString }))
        {
            webhook = await setup.CreateClient().CreateWebhookAsync(domain, "am", PrometheusPlugin);
        }

        await using (var down = api.FactoryWith(new()
                     {
                         ["ConnectionStrings:Webhook"] = database.ConnectionString,
                         [$"Plugins:{PrometheusPlugin}:Versions:1.0.0"] = api.Faulty.ClosedEndpoint,
                     }))
        {
            var client = down.CreateClient();
            var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.PostEventAsync(webhook, AlertmanagerTwoFiring)));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            await WaitUntilAsync(
                async () => await database.ScalarAsync<long>(
                    "SELECT count(*) FROM webhook_requests WHERE attempts = 0 AND status = 'PENDING' AND last_error IS NOT NULL") == 3,
                "every request tried (and failed) without spending an attempt: an outage");
            Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM events"));
        }

        await using var back = api.FactoryWith(new() { ["ConnectionStrings:Webhook"] = database.ConnectionString });
        // Normally at once (a stopping worker hands its claims back); at worst after a claim's lease (14 s here).
        var events = await back.CreateClient().WaitForEventsAsync(database, domain, Id(webhook), 6, seconds: 30);

        Assert.Equal(6, events.Select(e => (string)e!["event_id"]!).Distinct().Count());
        Assert.Equal(3, await database.ScalarAsync<long>("SELECT count(*) FROM webhook_requests WHERE status = 'DONE' AND last_error IS NULL"));
        var info = await back.CreateClient().WebhookAsync(domain, Id(webhook));
        Assert.Equal("""{"total":3,"error":0}""", info["requests"]!.ToJsonString());
    }
}
