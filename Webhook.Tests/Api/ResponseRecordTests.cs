using System.Text.Json.Serialization.Metadata;
using Webhook.Api;
using Webhook.Api.Audit;
using Webhook.Api.Events;
using Webhook.Api.Webhooks;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Api;

/// <summary>
/// The typed response records exist for the API document only (the handlers answer with documents rendered from
/// SQL), so nothing but this test keeps the documented shape equal to the real one: every record's JSON names,
/// in order and nested, must be the keys the handlers really return.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ResponseRecordTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private static readonly JsonSerializerOptions Wire = WireOptions();

    [Fact]
    public async Task WebhookRecords_NameExactlyTheKeysOfGetAndList()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "documented");

        var get = await (await _client.GetAsync($"/monitoring/v1/webhook/{Id(webhook)}?domain_id={domain}")).JsonAsync();
        var list = await (await _client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();

        AssertShape(typeof(WebhookInfo), webhook, "create");
        AssertShape(typeof(WebhookInfo), get, "get");
        AssertShape(typeof(WebhooksInfo), list, "list");
    }

    [Fact]
    public async Task EventRecords_NameExactlyTheKeysOfGetListReplayAndTest()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "documented", PrometheusPlugin);
        await (await _client.PostEventAsync(webhook, AlertmanagerTwoFiring)).JsonAsync();
        var events = await _client.WaitForEventsAsync(api.Database, domain, Id(webhook), 2);

        var get = await (await _client.GetAsync($"/monitoring/v1/event/{events[0]!["event_id"]}?domain_id={domain}")).JsonAsync();
        var list = await (await _client.GetAsync($"/monitoring/v1/events?domain_id={domain}")).JsonAsync();
        var replay = await (await _client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/events/replay", new { domain_id = domain, dry_run = true })).JsonAsync();
        var test = await (await _client.PostAsJsonAsync(
            $"/monitoring/v1/webhook/{Id(webhook)}/test", new { domain_id = domain, data = JsonNode.Parse(AlertmanagerTwoFiring) })).JsonAsync();

        AssertShape(typeof(EventInfoResponse), get, "get");
        AssertShape(typeof(EventsInfo), list, "list");
        AssertShape(typeof(EventsInfo), replay, "replay");
        AssertShape(typeof(EventsInfo), test, "test");
    }

    [Fact]
    public async Task AuditRecords_NameExactlyTheKeysOfSearch()
    {
        var domain = ApiClientExtensions.NewDomain();
        await _client.CreateWebhookAsync(domain, "documented");

        var search = await (await _client.PostAsJsonAsync("/monitoring/v1/audit/search", new { domain_id = domain })).JsonAsync();

        AssertShape(typeof(AuditEntriesInfo), search, "search");
    }

    /// <summary>Compares the record's JSON names with the document's keys, descending into nested records and lists.</summary>
    private static void AssertShape(Type record, JsonObject document, string path)
    {
        var properties = Wire.GetTypeInfo(record).Properties;
        Assert.Equal(properties.Select(p => p.Name).ToList(), document.Select(p => p.Key).ToList());
        foreach (var property in properties)
        {
            var value = document[property.Name];
            var item = ListItemType(property.PropertyType);
            if (IsDocumented(property.PropertyType) && value is JsonObject nested)
            {
                AssertShape(property.PropertyType, nested, $"{path}.{property.Name}");
            }
            else if (item is not null && IsDocumented(item))
            {
                var items = Assert.IsType<JsonArray>(value);
                Assert.NotEmpty(items);
                foreach (var element in items)
                {
                    AssertShape(item, element!.AsObject(), $"{path}.{property.Name}[]");
                }
            }
        }
    }

    private static bool IsDocumented(Type type) => type.Namespace?.StartsWith("Webhook.Api", StringComparison.Ordinal) == true
                                                    && type.IsClass;

    private static Type? ListItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private static JsonSerializerOptions WireOptions()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        ApiRegistration.ConfigureJson(options);
        return options;
    }

    private static string Id(JsonObject webhook) => (string)webhook["webhook_id"]!;
}
