using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Hostile;

/// <summary>
/// A NUL byte in a value is refused by PostgreSQL when the statement's parameters are bound. Such a refusal must
/// leave the pooled connection usable: the fuzz suite once left one out of step with its statement cache, and the
/// next request that drew it from the pool failed with "unexpected backend message DataRow".
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PoolPoisonTests(ApiFixture api)
{
    [Fact]
    public async Task MainDataSource_AfterAValueRefusedAtBind_TheConnectionStillWorks()
    {
        // The main source's own settings (whatever a caller's value may reach it): a statement used once, refused
        // while binding a NUL on its second use (when auto-prepare would prepare it in the same round trip), then
        // used again on the same (only) connection.
        await using var app = api.FactoryWith(new()
        {
            ["ConnectionStrings:Webhook"] = api.Database.ConnectionString + ";Maximum Pool Size=1",
            ["Webhook:ParseWorkerEnabled"] = "false",
        });
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        async Task<long> CountAsync(string domain)
        {
            // Read as EF reads (a reader, not ExecuteScalar's single-row path).
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM webhooks WHERE domain_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = domain });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return reader.GetInt64(0);
        }

        Assert.Equal(0, await CountAsync("pool-domain"));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => CountAsync("pool\0domain"));

        Assert.Equal("22021", refused.SqlState);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, await CountAsync("pool-domain"));
        }
    }

    [Fact]
    public async Task NulBytesInIdsAndQueryValues_Return400_AndLeaveEveryPooledConnectionUsable()
    {
        // One connection per pool: whatever a bad request leaves behind, the next request meets it.
        await using var app = api.FactoryWith(new()
        {
            ["ConnectionStrings:Webhook"] = api.Database.ConnectionString + ";Maximum Pool Size=1",
            ["Webhook:QueryMaxConnections"] = "1",
        });
        var client = app.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "pool", PrometheusPlugin);

        for (var round = 0; round < 4; round++)
        {
            var delete = await client.DeleteAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id=%00{round}");
            var search = await client.PostAsJsonAsync("/monitoring/v1/webhooks/search", new
            {
                domain_id = domain,
                query = new { filter = new[] { new { k = "name", v = $"po\u0000ol{round}", o = "eq" } } },
            });
            var create = await client.SendRawAsync(HttpMethod.Post, "/monitoring/v1/webhooks", $$$"""
                {"name": "nul", "project_id": "project-1", "domain_id": "{{{domain}}}\u0000",
                 "plugin_info": {"plugin_id": "{{{PrometheusPlugin}}}"}}
                """);
            Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);

            var found = await (await client.PostAsJsonAsync("/monitoring/v1/webhooks/search", new
            {
                domain_id = domain,
                query = new { filter = new[] { new { k = "name", v = "pool", o = "eq" } } },
            })).JsonAsync();
            Assert.Equal(1, (int)found["total_count"]!);
            await (await client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/disable", new { domain_id = domain })).JsonAsync();
            await (await client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(webhook)}/enable", new { domain_id = domain })).JsonAsync();
            await client.CreateWebhookAsync(domain, $"pool-{round}", PrometheusPlugin);

            // A sender's \u0000 (stored as text instead) on the ingest writer's prepared statement, on the same pool.
            await (await client.PostEventAsync(webhook, """{"alerts": [], "note": "nul \u0000 here"}""")).JsonAsync();
            await (await client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        }
    }
}
