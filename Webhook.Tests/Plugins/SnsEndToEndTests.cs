using Webhook.Tests.Events;

namespace Webhook.Tests.Plugins;

/// <summary>SNS authenticity through the whole service: what the plugin refuses becomes the request's ERROR event.</summary>
[Collection(ApiCollection.Name)]
public sealed class SnsEndToEndTests(ApiFixture api)
{
    private readonly HttpClient _client = api.Client;

    private async Task<JsonNode> OnlyEventAfterPostingAsync(string text, object? extra = null)
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await _client.CreateWebhookAsync(domain, "sns-prod", "plugin-aws-sns-mon-webhook", extra: extra);
        await (await _client.PostEventAsync(webhook, text, "text/plain")).JsonAsync();
        var events = await _client.WaitForEventsAsync(api.Database, domain, (string)webhook["webhook_id"]!, 1);
        return Assert.Single(events)!;
    }

    [Fact]
    public async Task Post_ForgedCloudWatchAlarm_BecomesOneErrorEventSayingWhy()
    {
        var signed = api.SnsSigner.Sign(JsonNode.Parse(EventTestKit.Payload("aws-sns/cloudwatch-ec2-cpu-alarm.json"))!);
        signed["Message"] = signed["Message"]!.GetValue<string>().Replace("EC2-CPU", "EC2-CPU-FORGED", StringComparison.Ordinal);

        var e = await OnlyEventAfterPostingAsync(signed.ToJsonString());

        Assert.Equal("ERROR", (string)e["event_type"]!);
        Assert.Contains("sns-prod", (string)e["title"]!);
        Assert.Contains("signature does not match", (string)e["description"]!);
    }

    [Fact]
    public async Task Post_SignedAlarmFromForeignTopic_BecomesOneErrorEvent()
    {
        var signed = api.SnsSigner.SignedText(EventTestKit.Payload("aws-sns/cloudwatch-ec2-cpu-alarm.json"));
        var options = new { plugin_info = new { plugin_id = "plugin-aws-sns-mon-webhook", options = new { allowed_topic_arns = new[] { "arn:aws:sns:*:111111111111:*" } } } };

        var e = await OnlyEventAfterPostingAsync(signed, options);

        Assert.Equal("ERROR", (string)e["event_type"]!);
        Assert.Contains("is not in the option allowed_topic_arns", (string)e["description"]!);
    }
}
