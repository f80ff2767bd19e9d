using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

/// <summary>The database going away answers 503 (never 500, never a false 200), and what was acknowledged stays.</summary>
[Collection(ApiCollection.Name)]
public sealed class DatabaseFaultTests(ApiFixture api)
{
    [Fact]
    public async Task Post_WhenDatabaseUnreachable_Returns503AndAcknowledgesNothing()
    {
        await using var factory = api.FactoryWith(new()
        {
            ["ConnectionStrings:Webhook"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
            ["Webhook:ApplyMigrationsOnStart"] = "false",
        });
        using var client = factory.CreateClient();

        var response = await client.PostAsync(
            "/monitoring/v1/webhook/webhook-000000000000/00000000000000000000000000000000/events",
            new StringContent(AlertmanagerTwoFiring, System.Text.Encoding.UTF8, "application/json"));

        await response.ProblemAsync(HttpStatusCode.ServiceUnavailable, "ERROR_SERVICE_UNAVAILABLE");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Post_AcrossADatabaseRestart_LosesNothingAcknowledged()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain, "restart", PrometheusPlugin);
        var statuses = new List<HttpStatusCode>();

        // Every pooled connection of the API dies, as in a PostgreSQL restart, between two rounds of posts.
        for (var round = 0; round < 2; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => api.Client.PostEventAsync(webhook, AlertmanagerTwoFiring)));
            statuses.AddRange(responses.Select(r => r.StatusCode));
            if (round == 0)
            {
                await api.Database.ScalarAsync<long>(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            }
        }

        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var acknowledged = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.True(acknowledged >= 10, $"only {acknowledged} of 20 posts were acknowledged");
        Assert.Equal(acknowledged, await RequestsAsync(api.Database, Id(webhook)));
        // Queries have their own pool, whose idle connections died too: the first query may answer 503 (retry).
        await WaitUntilAsync(
            async () => (await api.Client.GetAsync($"/monitoring/v1/events?domain_id={domain}")).StatusCode == HttpStatusCode.OK,
            "the query pool reconnected");
        // A claim whose commit the killed connection never confirmed comes back when its lease ends (32 s with the
        // fixture's plugin timeout and batch size): that is the longest an acknowledged request may wait, so wait past it.
        await api.Client.WaitForEventsAsync(api.Database, domain, Id(webhook), 2 * acknowledged, seconds: 45);
    }
}
