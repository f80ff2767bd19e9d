using System.Text.Json.Nodes;
using Webhook.Plugins.AwsSns;
using Xunit;

namespace Webhook.Tests.Plugins;

public class SnsPluginOptionsTests
{
    private const string Topic = "arn:aws:sns:eu-west-1:123456789012:alerts-prod";

    [Theory]
    [InlineData("[]", true)]
    [InlineData("""["arn:aws:sns:eu-west-1:123456789012:alerts-prod"]""", true)]
    [InlineData("""["arn:aws:sns:*:123456789012:alerts-*"]""", true)]
    [InlineData("""["*"]""", true)]
    [InlineData("""["arn:aws:sns:eu-west-1:123456789012:alerts"]""", false)]
    [InlineData("""["arn:aws:sns:eu-west-1:123456789012:alerts-prod-2"]""", false)]
    [InlineData("""["arn:aws:sns:eu-west-1:123456789012:ALERTS-PROD"]""", false)]
    [InlineData("""["arn:aws:sns:eu-west-1:999999999999:*"]""", false)]
    [InlineData("""["arn:aws:sns:eu-west-1:123456789012:alerts.prod"]""", false)]
    [InlineData("""["arn:aws:sns:eu-west-1:123456789012:alerts-(prod|dev)"]""", false)]
    public void TopicRefusal_Patterns_StarIsTheOnlyWildcard(string allowed, bool accepted)
    {
        var options = new JsonObject { [SnsPluginOptions.AllowedTopicArns] = JsonNode.Parse(allowed) };

        var refusal = SnsPluginOptions.TopicRefusal(Topic, options);

        Assert.Equal(accepted, refusal is null);
    }

    [Fact]
    public void TopicRefusal_NoTopicWhileLimited_Refused()
    {
        var options = new JsonObject { [SnsPluginOptions.AllowedTopicArns] = new JsonArray("*") };

        Assert.Contains("no TopicArn", SnsPluginOptions.TopicRefusal(null, options));
        Assert.Null(SnsPluginOptions.TopicRefusal(null, []));
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("""{"verify_signature": true}""", true)]
    [InlineData("""{"verify_signature": false}""", false)]
    public void VerifiesSignature_DefaultsToTrue(string options, bool verifies)
    {
        Assert.Equal(verifies, SnsPluginOptions.VerifiesSignature(JsonNode.Parse(options)!.AsObject()));
    }
}
