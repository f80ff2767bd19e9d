using Npgsql;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Hostile;

/// <summary>
/// The query side's own pool, statement timeout and result cap: slow or huge queries answer for themselves and
/// never take what ingestion needs.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class QuerySideTests(ApiFixture api)
{
    private static object EventSearch(string domain) => new { domain_id = domain, query = new { filter = Array.Empty<object>() } };

    /// <summary>Holds an exclusive lock on events so every event query waits on it, until disposed.</summary>
    private async Task<NpgsqlTransaction> LockEventsAsync()
    {
        var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE events IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return transaction;
    }

    [Fact]
    public async Task Search_WithoutPageLimit_IsCappedAndTotalCountIsWhole()
    {
        await using var capped = api.FactoryWith(new() { ["Webhook:MaxResults"] = "3" });
        var client = capped.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        for (var i = 0; i < 5; i++)
        {
            await client.CreateWebhookAsync(domain, $"hook-{i}");
        }

        var unpaged = await (await client.PostAsJsonAsync("/monitoring/v1/webhooks/search", new { domain_id = domain, query = new { } })).JsonAsync();
        var tooLarge = await (await client.PostAsJsonAsync("/monitoring/v1/webhooks/search",
            new { domain_id = domain, query = new { page = new { start = 2, limit = 100 } } })).JsonAsync();
        var listed = await (await client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();

        Assert.Equal(["hook-0", "hook-1", "hook-2"], unpaged["results"]!.AsArray().Select(w => (string)w!["name"]!));
        Assert.Equal(5, (int)unpaged["total_count"]!);
        Assert.Equal(["hook-1", "hook-2", "hook-3"], tooLarge["results"]!.AsArray().Select(w => (string)w!["name"]!));
        Assert.Equal(5, (int)tooLarge["total_count"]!);
        Assert.Equal(3, listed["results"]!.AsArray().Count);
        Assert.Equal(5, (int)listed["total_count"]!);
    }

    [Fact]
    public async Task Stat_WithoutPageLimit_IsCapped()
    {
        await using var capped = api.FactoryWith(new() { ["Webhook:MaxResults"] = "2" });
        var client = capped.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        for (var i = 0; i < 4; i++)
        {
            await client.CreateWebhookAsync(domain, $"hook-{i}");
        }

        var stat = await (await client.PostAsJsonAsync("/monitoring/v1/webhooks/stat",
            new { domain_id = domain, query = new { distinct = "name" } })).JsonAsync();

        Assert.Equal(["hook-0", "hook-1"], stat["results"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task Search_PastStatementTimeout_Returns400QueryTimeout()
    {
        await using var impatient = api.FactoryWith(new() { ["Webhook:QueryTimeoutSeconds"] = "0.3" });
        var client = impatient.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        await using var held = await LockEventsAsync();

        var search = await client.PostAsJsonAsync("/monitoring/v1/events/search", EventSearch(domain));
        var stat = await client.PostAsJsonAsync("/monitoring/v1/events/stat",
            new { domain_id = domain, query = new { distinct = "severity" } });

        await search.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_QUERY_TIMEOUT");
        await stat.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_QUERY_TIMEOUT");
    }

    [Fact]
    public async Task Receive_WhileSlowQueriesHoldTheWholeQueryPool_StillAcceptsEvents()
    {
        await using var small = api.FactoryWith(new()
        {
            ["Webhook:QueryMaxConnections"] = "2",
            ["Webhook:QueryTimeoutSeconds"] = "30",
        });
        var client = small.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "busy", PrometheusPlugin);
        var held = await LockEventsAsync();
        var slow = Enumerable.Range(0, 3)
            .Select(_ => client.PostAsJsonAsync("/monitoring/v1/events/search", EventSearch(domain)))
            .ToList();
        await WaitUntilAsync(
            async () => await api.Database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM events%'") >= 2,
            "two searches waiting on the events lock");

        var accepted = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostEventAsync(webhook, AlertmanagerTwoFiring)));

        Assert.All(accepted, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(slow, s => Assert.False(s.IsCompleted));
        Assert.Equal(20, await RequestsAsync(api.Database, Id(webhook)));
        await held.RollbackAsync();
        await held.Connection!.DisposeAsync();
        Assert.All(await Task.WhenAll(slow), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }
}
