using System.Text.Json;
using System.Text.Json.Nodes;
using Webhook.Plugins.AwsSns;
using Webhook.Plugins.Common;
using Xunit;

namespace Webhook.Tests.Plugins;

public class AwsSnsParserTests
{
    private static IReadOnlyList<EventInfo> Parse(JsonNode payload)
    {
        var (envelope, type) = AwsSnsParser.Envelope(JsonText.DecodeStringPayload(payload));
        return AwsSnsParser.Parse(envelope, type);
    }

    /// <summary>The CloudWatch sample with its Message edited.</summary>
    private static JsonNode AlarmWith(Action<JsonObject> edit)
    {
        var payload = PluginTestData.Payload("aws-sns", "cloudwatch-ec2-cpu-alarm.json");
        var message = JsonNode.Parse(payload["Message"]!.GetValue<string>())!.AsObject();
        edit(message);
        payload["Message"] = message.ToJsonString();
        return payload;
    }

    [Fact]
    public void Parse_CloudWatchEc2CpuSample_OneAlertErrorOnTheInstance()
    {
        var e = Assert.Single(Parse(PluginTestData.Payload("aws-sns", "cloudwatch-ec2-cpu-alarm.json")));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Error, e.Severity);
        Assert.Equal("EC2-CPU", e.Title);
        Assert.Equal("EC2-CPU", e.Rule);
        Assert.StartsWith("Threshold Crossed: 1 out of the last 1 datapoints", e.Description);
        Assert.Equal("i-0f672ea50a80cda4b", e.Resource.ResourceId);
        Assert.Equal("AWS/EC2", e.Resource.ResourceType);
        Assert.Equal("257706363616", e.Account);
        Assert.Equal("aws", e.Provider);
        Assert.Equal("2021-06-23T08:41:06.622Z", e.OccurredAt);
        Assert.Equal("InstanceId", e.AdditionalInfo["dimension_name"]);
        Assert.Equal("CPUUtilization", e.AdditionalInfo["metric_name"]);
    }

    [Fact]
    public void Parse_PostedAsTextPlainString_SameAsObject()
    {
        var asText = JsonValue.Create(PluginTestData.PayloadText("aws-sns", "cloudwatch-ec2-cpu-alarm.json"));

        var fromText = Assert.Single(Parse(asText));
        var fromObject = Assert.Single(Parse(PluginTestData.Payload("aws-sns", "cloudwatch-ec2-cpu-alarm.json")));

        Assert.Equal(JsonSerializer.Serialize(fromObject), JsonSerializer.Serialize(fromText));
    }

    [Theory]
    [InlineData("ALARM", "ALERT", "ERROR")]
    [InlineData("OK", "RECOVERY", "INFO")]
    [InlineData("INSUFFICIENT_DATA", "ALERT", "WARNING")]
    public void Parse_AlarmState_MapsTypeAndSeverity(string state, string type, string severity)
    {
        var e = Assert.Single(Parse(AlarmWith(m => m["NewStateValue"] = state)));

        Assert.Equal(type, e.EventType);
        Assert.Equal(severity, e.Severity);
    }

    [Fact]
    public void Parse_EventKey_StablePerAlarmDimensionAndStateChange()
    {
        var original = Parse(PluginTestData.Payload("aws-sns", "cloudwatch-ec2-cpu-alarm.json"))[0].EventKey;
        var retried = Parse(PluginTestData.Payload("aws-sns", "cloudwatch-ec2-cpu-alarm.json"))[0].EventKey;
        var recovered = Parse(AlarmWith(m => { m["NewStateValue"] = "OK"; m["StateChangeTime"] = "2021-06-23T09:41:06.622+0000"; }))[0].EventKey;
        var nextEpisode = Parse(AlarmWith(m => m["StateChangeTime"] = "2021-06-24T08:41:06.622+0000"))[0].EventKey;

        Assert.Equal(original, retried);
        Assert.NotEqual(original, recovered);
        Assert.NotEqual(original, nextEpisode);
    }

    [Fact]
    public void Parse_SeveralDimensions_OneEventEachWithDistinctKeys()
    {
        var events = Parse(AlarmWith(m => m["Trigger"]!["Dimensions"] = JsonNode.Parse(
            """[{"value": "i-1", "name": "InstanceId"}, {"value": "asg-a", "name": "AutoScalingGroupName"}]""")));

        Assert.Equal(["i-1", "asg-a"], events.Select(e => e.Resource.ResourceId));
        Assert.NotEqual(events[0].EventKey, events[1].EventKey);
    }

    [Fact]
    public void Parse_MetricMathAlarm_DimensionsFromMetrics()
    {
        var events = Parse(AlarmWith(m =>
        {
            var trigger = m["Trigger"]!.AsObject();
            trigger.Remove("Dimensions");
            trigger.Remove("Namespace");
            trigger["Metrics"] = JsonNode.Parse("""
                [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/RDS", "MetricName": "CPUUtilization",
                   "Dimensions": [{"value": "db-1", "name": "DBInstanceIdentifier"}]}, "Period": 60, "Stat": "Average"}},
                 {"Id": "m2", "MetricStat": {"Metric": {"Namespace": "AWS/RDS", "MetricName": "FreeableMemory",
                   "Dimensions": [{"value": "db-1", "name": "DBInstanceIdentifier"}]}, "Period": 60, "Stat": "Average"}},
                 {"Id": "e1", "Expression": "m1 / m2"}]
                """);
        }));

        var e = Assert.Single(events);
        Assert.Equal("db-1", e.Resource.ResourceId);
        Assert.Equal("AWS/RDS", e.Resource.ResourceType);
    }

    [Fact]
    public void Parse_NoDimensions_OneEvent()
    {
        var e = Assert.Single(Parse(AlarmWith(m => m["Trigger"]!["Dimensions"] = new JsonArray())));

        Assert.Equal("", e.Resource.ResourceId);
        Assert.Equal("AWS/EC2", e.Resource.ResourceType);
        Assert.Equal("EC2-CPU", e.Title);
    }

    [Fact]
    public void Parse_HealthAbuseSample_AlertErrorKeyedByEventArn()
    {
        var e = Assert.Single(Parse(PluginTestData.Payload("aws-sns", "phd-health-abuse-event.json")));

        Assert.Equal("arn:aws:health:global::event/AWS_ABUSE_COPYRIGHT_DMCA_REPORT_2345235545_5323_2018_08_02_02_12_98", e.EventKey);
        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Error, e.Severity);
        Assert.Equal("AWS_ABUSE_COPYRIGHT_DMCA_REPORT", e.Title);
        Assert.Equal("A description of the event will be provided here", e.Description);
        Assert.Equal("2018-08-02T05:30:00Z", e.OccurredAt);
        Assert.Equal("123456789012", e.Account);
        Assert.Equal("arn:aws:cloudfront::123456789012:distribution/DSF867DUMMY87SDF", e.Resource.ResourceId);
        Assert.Equal("aws", e.Provider);
    }

    [Theory]
    [InlineData("closed", "issue", "RECOVERY", "ERROR")]
    [InlineData("open", "scheduledChange", "ALERT", "ERROR")]
    [InlineData("upcoming", "accountNotification", "ALERT", "INFO")]
    [InlineData(null, "investigation", "ALERT", "INFO")]
    public void Parse_HealthStatusAndCategory_MapTypeAndSeverity(string? status, string category, string type, string severity)
    {
        var payload = PluginTestData.Payload("aws-sns", "phd-health-abuse-event.json");
        var message = JsonNode.Parse(payload["Message"]!.GetValue<string>())!;
        message["detail"]!["eventTypeCategory"] = category;
        if (status is not null)
        {
            message["detail"]!["statusCode"] = status;
        }

        payload["Message"] = message.ToJsonString();

        var e = Assert.Single(Parse(payload));

        Assert.Equal(type, e.EventType);
        Assert.Equal(severity, e.Severity);
    }

    [Theory]
    [InlineData("plain text from a script", "Deploy finished")]
    [InlineData("""{"hello": "world"}""", "Deploy finished")]
    [InlineData("plain text", null)]
    public void Parse_OtherMessage_OneInfoAlertWithSubjectAndMessage(string message, string? subject)
    {
        var payload = PluginTestData.Payload("aws-sns", "cloudwatch-ec2-cpu-alarm.json");
        payload["Message"] = message;
        if (subject is null)
        {
            payload.AsObject().Remove("Subject");
        }
        else
        {
            payload["Subject"] = subject;
        }

        var e = Assert.Single(Parse(payload));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Info, e.Severity);
        Assert.Equal(subject ?? "SNS notification on spaceone-notification", e.Title);
        Assert.Equal(message, e.Description);
        Assert.Equal("2021-06-23T08:41:06.656Z", e.OccurredAt);
        Assert.Equal("257706363616", e.Account);
        Assert.Equal(e.EventKey, Parse(payload)[0].EventKey);
    }

    [Fact]
    public void SubscriptionEvent_ConfirmedOrNot_InfoWithTheSameKey()
    {
        var (envelope, _) = AwsSnsParser.Envelope(PluginTestData.Payload("aws-sns", "subscription-confirmation.json"));

        var confirmed = AwsSnsParser.SubscriptionEvent(envelope, new ConfirmOutcome(true, "confirmed with 127.0.0.1"));
        var refused = AwsSnsParser.SubscriptionEvent(envelope, new ConfirmOutcome(false, "host not allowed"));

        Assert.Equal(Severities.Info, confirmed.Severity);
        Assert.Equal(Severities.Info, refused.Severity);
        Assert.Equal(confirmed.EventKey, refused.EventKey);
        Assert.Contains("confirmed", confirmed.Title);
        Assert.Contains("not confirmed", refused.Title);
        Assert.Contains("host not allowed", refused.Description);
        Assert.Equal("true", confirmed.AdditionalInfo["confirmed"]);
        Assert.Equal("false", refused.AdditionalInfo["confirmed"]);
        Assert.Equal("1234567890", confirmed.Account);
        Assert.Equal("2022-03-16T11:06:53.295Z", confirmed.OccurredAt);
    }

    [Fact]
    public void Parse_UnsubscribeConfirmation_OneInfoEvent()
    {
        var payload = PluginTestData.Payload("aws-sns", "subscription-confirmation.json");
        payload["Type"] = "UnsubscribeConfirmation";

        var e = Assert.Single(Parse(payload));

        Assert.Equal(Severities.Info, e.Severity);
        Assert.Contains("removed", e.Title);
    }

    [Theory]
    [InlineData("""{"Type": "Weird"}""", "got Type 'Weird'")]
    [InlineData("""{"Message": "x"}""", "there is no 'Type'")]
    [InlineData("\"not json at all\"", "got a string")]
    [InlineData("[]", "got an array")]
    public void Envelope_NotSns_ThrowsNamingWhatWasExpected(string json, string detail)
    {
        var error = Assert.Throws<PayloadException>(() => AwsSnsParser.Envelope(JsonText.DecodeStringPayload(JsonNode.Parse(json))));

        Assert.Contains("AWS SNS HTTP message", error.Message);
        Assert.Contains("SubscriptionConfirmation", error.Message);
        Assert.Contains(detail, error.Message);
    }
}
