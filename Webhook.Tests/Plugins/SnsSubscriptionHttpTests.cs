using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Webhook.Tests.Plugins;

/// <summary>
/// SubscriptionConfirmation through the real host; the sample's AWS SubscribeURL is always rewritten to loopback, and
/// the message signed by the test's loopback certificate.
/// </summary>
[Collection(PluginHostCollection.Name)]
public sealed class SnsSubscriptionHttpTests(PluginHostFixture host)
{
    private const string ParsePath = "/aws-sns/monitoring/plugin/v1/event/parse";

    private JsonNode ConfirmationTo(string subscribeUrl)
    {
        var payload = PluginTestData.Payload("aws-sns", "subscription-confirmation.json");
        payload["SubscribeURL"] = subscribeUrl;
        return host.Signer.Sign(payload);
    }

    private async Task<JsonNode> ParseSingleAsync(JsonNode data, bool asText = false)
    {
        var request = new JsonObject { ["options"] = new JsonObject(), ["data"] = asText ? JsonValue.Create(data.ToJsonString()) : data };
        var response = await host.PostJsonAsync(ParsePath, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single((await PluginHostFixture.BodyAsync(response))["results"]!.AsArray())!;
    }

    [Fact]
    public async Task Parse_SubscriptionToAllowedLoopbackHost_ConfirmsWithOneGet()
    {
        var token = Guid.NewGuid().ToString("N");
        var url = new Uri(host.Sns.BaseAddress, $"/?Action=ConfirmSubscription&Token={token}").ToString();

        var e = await ParseSingleAsync(ConfirmationTo(url), asText: true);

        Assert.Contains($"GET /?Action=ConfirmSubscription&Token={token}", host.Sns.Requests);
        Assert.Equal("INFO", e["severity"]!.GetValue<string>());
        Assert.Equal("ALERT", e["event_type"]!.GetValue<string>());
        Assert.StartsWith("SNS subscription confirmed", e["title"]!.GetValue<string>());
        Assert.Equal("true", e["additional_info"]!["confirmed"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_SubscriptionToHostNotAllowed_RefusedWithoutARequest()
    {
        var token = Guid.NewGuid().ToString("N");
        var url = new Uri(host.Sns.BaseAddress, $"/?Action=ConfirmSubscription&Token={token}").ToString()
            .Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var e = await ParseSingleAsync(ConfirmationTo(url));

        Assert.DoesNotContain(host.Sns.Requests, r => r.Contains(token, StringComparison.Ordinal));
        Assert.Equal("INFO", e["severity"]!.GetValue<string>());
        Assert.StartsWith("SNS subscription not confirmed", e["title"]!.GetValue<string>());
        Assert.Contains("'localhost' is not an allowed SNS host", e["description"]!.GetValue<string>());
        Assert.Equal("false", e["additional_info"]!["confirmed"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_SubscriptionRetried_SameKey()
    {
        var url = new Uri(host.Sns.BaseAddress, "/?Action=ConfirmSubscription&Token=retry").ToString();

        var first = await ParseSingleAsync(ConfirmationTo(url));
        var second = await ParseSingleAsync(ConfirmationTo(url));

        Assert.Equal(first["event_key"]!.GetValue<string>(), second["event_key"]!.GetValue<string>());
    }
}
