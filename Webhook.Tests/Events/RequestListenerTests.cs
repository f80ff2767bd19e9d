using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Events;

/// <summary>
/// A request stored by one process wakes the parse worker of another at once (LISTEN/NOTIFY): the receiving API
/// runs no worker and the parsing one polls only every ten minutes, so only the notification can wake it in time.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RequestListenerTests(ApiFixture api)
{
    [Fact]
    public async Task Post_ToAProcessWithoutWorker_IsParsedByAnotherProcessWithoutWaitingForItsPoll()
    {
        await using var database = await TestDatabase.CreateAsync("webhook_listen");
        await using var receiver = api.FactoryWith(new()
        {
            ["ConnectionStrings:Webhook"] = database.ConnectionString,
            ["Webhook:ParseWorkerEnabled"] = "false",
        });
        using var receiverClient = receiver.CreateClient();
        await using var parser = api.FactoryWith(new()
        {
            ["ConnectionStrings:Webhook"] = database.ConnectionString,
            ["Webhook:ParsePollIntervalMs"] = "600000",
        });
        using var parserClient = parser.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await receiverClient.CreateWebhookAsync(domain, "listen", PrometheusPlugin);

        // The first request may be found by the parser's start-up pass; after it the parser only waits.
        Assert.Equal(HttpStatusCode.OK, (await receiverClient.PostEventAsync(webhook, AlertmanagerTwoFiring)).StatusCode);
        await parserClient.WaitForEventsAsync(database, domain, Id(webhook), 2, seconds: 30);
        Assert.Equal(HttpStatusCode.OK, (await receiverClient.PostEventAsync(webhook, AlertmanagerTwoFiring)).StatusCode);

        await parserClient.WaitForEventsAsync(database, domain, Id(webhook), 4, seconds: 30);
    }
}
