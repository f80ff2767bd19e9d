using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Webhook.Tests.Events;

namespace Webhook.Tests.Auth;

/// <summary>DESIGN.md "Senders": the key in a header instead of the URL, and rotating it with a grace period.</summary>
[Collection(ApiCollection.Name)]
public sealed class SenderAuthTests(ApiFixture api)
{
    private const string Body = """{"receiver": "webhook", "status": "firing", "alerts": []}""";

    [Fact]
    public async Task HeaderUrl_AcceptsTheKeyAsAlertmanagerSendsIt_BearerAndBasic()
    {
        var webhook = await api.Client.CreateWebhookAsync(ApiClientExtensions.NewDomain());
        var key = EventTestKit.Key(webhook);

        // Alertmanager's http_config.authorization: {type: Bearer, credentials: <key>}
        var bearer = await PostAsync(webhook, new AuthenticationHeaderValue("Bearer", key));
        // http_config.basic_auth: any user name, the key as password
        var basic = await PostAsync(webhook, Basic("alertmanager", key));

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.Equal(2, await EventTestKit.RequestsAsync(api.Database, EventTestKit.Id(webhook)));
    }

    [Fact]
    public async Task HeaderUrl_NoKeyWrongKeyOrUnknownWebhook_AllGetTheSame403_AndNothingIsStored()
    {
        var webhook = await api.Client.CreateWebhookAsync(ApiClientExtensions.NewDomain());
        var unknown = new JsonObject { ["webhook_id"] = "webhook-000000000000", ["webhook_url"] = "http://x/" };

        var answers = new[]
        {
            await PostAsync(webhook, null),
            await PostAsync(webhook, new AuthenticationHeaderValue("Bearer", new string('a', 32))),
            await PostAsync(webhook, Basic("user", "wrong")),
            await PostAsync(webhook, new AuthenticationHeaderValue("Token", EventTestKit.Key(webhook))),
            await PostAsync(unknown, new AuthenticationHeaderValue("Bearer", EventTestKit.Key(webhook))),
        };

        var bodies = new List<string>();
        foreach (var answer in answers)
        {
            var problem = await answer.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
            problem.Remove("trace_id");
            bodies.Add(problem.ToJsonString());
        }

        Assert.Single(bodies.Distinct());
        Assert.Equal(0, await EventTestKit.RequestsAsync(api.Database, EventTestKit.Id(webhook)));
    }

    [Fact]
    public async Task Rotate_OldKeyWorksUntilItsGraceEnds_ThenIs403()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var factory = api.FactoryWith(new(), services: s => s.AddSingleton<TimeProvider>(clock));
        using var client = factory.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain);
        var oldKey = EventTestKit.Key(webhook);

        var rotated = await (await client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{EventTestKit.Id(webhook)}/access-key/rotate", new { domain_id = domain, grace_seconds = 60 })).JsonAsync();
        var newKey = EventTestKit.Key(rotated);
        var bothWithinGrace = new[] { await PostAsync(client, webhook, oldKey), await PostAsync(client, webhook, newKey) };
        clock.Advance(TimeSpan.FromSeconds(61));
        var oldAfterGrace = await PostAsync(client, webhook, oldKey);
        var newAfterGrace = await PostAsync(client, webhook, newKey);

        Assert.NotEqual(oldKey, newKey);
        Assert.Matches("^[0-9a-f]{32}$", newKey);
        Assert.EndsWith($"/{newKey}/events", (string?)rotated["webhook_url"]);
        Assert.All(bothWithinGrace, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await oldAfterGrace.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, newAfterGrace.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostEventAsync(rotated, Body)).StatusCode);
    }

    [Fact]
    public async Task Rotate_GraceZeroStopsTheOldKeyAtOnce_AndASecondRotationDropsTheOldestKey()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain);
        var path = $"/monitoring/v1/webhook/{EventTestKit.Id(webhook)}/access-key/rotate";
        var first = EventTestKit.Key(webhook);

        var second = EventTestKit.Key(await (await api.Client.PostAsJsonAsync(path, new { domain_id = domain })).JsonAsync());
        var third = EventTestKit.Key(await (await api.Client.PostAsJsonAsync(path, new { domain_id = domain })).JsonAsync());
        var firstAfterTwo = await PostAsync(api.Client, webhook, first);
        var secondInGrace = await PostAsync(api.Client, webhook, second);
        var fourth = EventTestKit.Key(await (await api.Client.PostAsJsonAsync(path, new { domain_id = domain, grace_seconds = 0 })).JsonAsync());
        var thirdAfterZero = await PostAsync(api.Client, webhook, third);

        await firstAfterTwo.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, secondInGrace.StatusCode);
        await thirdAfterZero.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(api.Client, webhook, fourth)).StatusCode);
        await (await PostAsync(api.Client, webhook, second)).ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(604801)]
    public async Task Rotate_GraceOutOfRange_Is400_AndTheKeyStays(long grace)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain);

        var response = await api.Client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{EventTestKit.Id(webhook)}/access-key/rotate", new { domain_id = domain, grace_seconds = grace });

        await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_INVALID_ARGUMENT");
        var stored = await api.Client.WebhookAsync(domain, EventTestKit.Id(webhook));
        Assert.Equal(EventTestKit.Key(webhook), EventTestKit.Key(stored));
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject webhook, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/monitoring/v1/webhook/{EventTestKit.Id(webhook)}/events")
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = authorization;
        using var sender = api.Factory.CreateClient();
        sender.DefaultRequestHeaders.Authorization = null;
        return await sender.SendAsync(request);
    }

    /// <summary>The keyed URL with a given key (the sender's view before and after a rotation).</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject webhook, string key) =>
        client.PostAsync(
            $"/monitoring/v1/webhook/{EventTestKit.Id(webhook)}/{key}/events",
            new StringContent(Body, Encoding.UTF8, "application/json"));

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
