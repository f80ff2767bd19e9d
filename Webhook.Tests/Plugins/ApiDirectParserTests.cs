using System.Text.Json.Nodes;
using Webhook.Plugins.ApiDirect;
using Webhook.Plugins.Common;
using Xunit;

namespace Webhook.Tests.Plugins;

public class ApiDirectParserTests
{
    private static readonly JsonObject NoOptions = [];

    private static IReadOnlyList<EventInfo> Parse(JsonNode? data, JsonObject? options = null)
    {
        var opts = options ?? NoOptions;
        OptionChecker.Check(ApiDirectParser.Options, opts);
        return ApiDirectParser.Parse(data, opts, PluginTestData.ReceivedAt);
    }

    [Fact]
    public void Parse_NonStringAdditionalInfoSample_OneEventAsGivenWithJsonText()
    {
        var e = Assert.Single(Parse(PluginTestData.Payload("api-direct", "test-event-with-nonstring-additional-info.json")));

        Assert.Equal("event-x1234vlkajdflk", e.EventKey);
        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Error, e.Severity);
        Assert.Equal("This is test event", e.Title);
        Assert.Equal("EAEAEAEAEAEAEA", e.Description);
        Assert.Equal("AAAAAAAA", e.Rule);
        Assert.Equal("https://aaaaaa/img/sdfsdf", e.ImageUrl);
        Assert.Equal(new EventResource("resource-xzasdfasdf", "asdfasldkfjaslkdfj", "server"), e.Resource);
        Assert.Equal("2022-01-01T07:23:33.875Z", e.OccurredAt);
        Assert.Equal("additional_info_value", e.AdditionalInfo["additional_info_key"]);
        Assert.Equal("""["aaaaa"]""", e.AdditionalInfo["add"]);
        Assert.Equal("""{"dddd":"fffff"}""", e.AdditionalInfo["ccc"]);
    }

    [Fact]
    public void Parse_LiteralDatetimeSample_RejectedNamingOccurredAt()
    {
        var error = Assert.Throws<PayloadException>(() => Parse(PluginTestData.Payload("api-direct", "readme-event-literal-occurred_at-datetime.json")));

        Assert.Contains("occurred_at", error.Message);
        Assert.Contains("\"datetime\"", error.Message);
        Assert.Contains("ISO 8601", error.Message);
    }

    [Fact]
    public void Parse_Results_OneEventPerItem()
    {
        var events = Parse(PluginTestData.Obj("""
            {"results": [
              {"event_key": "a", "title": "A", "severity": "CRITICAL"},
              {"event_key": "b", "title": "B", "event_type": "RECOVERY", "occurred_at": "2024-01-01T19:00:00+09:00"}
            ]}
            """));

        Assert.Equal(["a", "b"], events.Select(e => e.EventKey));
        Assert.Equal(Severities.Critical, events[0].Severity);
        Assert.Equal(EventTypes.Recovery, events[1].EventType);
        Assert.Equal("2024-01-01T10:00:00Z", events[1].OccurredAt);
    }

    [Fact]
    public void Parse_EmptyResults_NoEvents()
    {
        Assert.Empty(Parse(PluginTestData.Obj("""{"results": []}""")));
    }

    [Fact]
    public void Parse_MinimalEvent_DefaultsIncludingReceiveTime()
    {
        var e = Assert.Single(Parse(PluginTestData.Obj("""{"event_key": "k", "title": "t"}""")));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.NotAvailable, e.Severity);
        Assert.Equal("2024-05-06T07:08:09Z", e.OccurredAt);
        Assert.Equal(EventResource.Empty, e.Resource);
        Assert.Empty(e.AdditionalInfo);
        Assert.Equal("", e.Description);
    }

    [Theory]
    [InlineData("""{"title": "t"}""", "event_key is required")]
    [InlineData("""{"event_key": "", "title": "t"}""", "event_key is required")]
    [InlineData("""{"event_key": "k"}""", "title is required")]
    [InlineData("""{"event_key": "k", "title": "t", "event_type": "BOOM"}""", "event_type 'BOOM' is not one of ALERT, RECOVERY, ERROR")]
    [InlineData("""{"event_key": "k", "title": "t", "severity": "HIGH"}""", "severity 'HIGH' is not one of CRITICAL")]
    [InlineData("""{"event_key": "k", "title": "t", "occurred_at": 1704103200}""", "occurred_at 1704103200 is not an ISO 8601 time")]
    [InlineData("""{"event_key": "k", "title": "t", "resource": "vm-1"}""", "resource must be an object")]
    [InlineData("""{"event_key": "k", "title": "t", "additional_info": []}""", "additional_info must be an object")]
    [InlineData("""{"results": [{"event_key": "k", "title": "t"}, {"title": "t"}]}""", "results[1].event_key is required")]
    [InlineData("""{"results": {"event_key": "k"}}""", "'results' is an object, not a list")]
    [InlineData("""{"results": ["x"]}""", "results[0] is a string")]
    public void Parse_InvalidEvent_RejectedNamingTheField(string json, string message)
    {
        var error = Assert.Throws<PayloadException>(() => Parse(JsonNode.Parse(json)));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_NotAnObject_SaysWhatWasExpected()
    {
        var error = Assert.Throws<PayloadException>(() => Parse(JsonValue.Create("hello")));

        Assert.Contains("expected an event object", error.Message);
        Assert.Contains("results", error.Message);
    }

    [Fact]
    public void Parse_LowercaseEnums_Normalized()
    {
        var e = Assert.Single(Parse(PluginTestData.Obj("""{"event_key": "k", "title": "t", "event_type": "recovery", "severity": "warning"}""")));

        Assert.Equal(EventTypes.Recovery, e.EventType);
        Assert.Equal(Severities.Warning, e.Severity);
    }

    [Fact]
    public void Parse_LoadJson_DecodesStringBeforeReading()
    {
        var body = PluginTestData.Obj("""{"results": "[{\"event_key\": \"k1\", \"title\": \"from string\"}]"}""");

        var e = Assert.Single(Parse(body, PluginTestData.Obj("""{"load_json": ["results"]}""")));

        Assert.Equal("k1", e.EventKey);
        Assert.Equal("from string", e.Title);
        Assert.IsType<JsonValue>(body["results"], exactMatch: false);
    }

    [Fact]
    public void Parse_LoadJsonInvalidJson_RejectedNamingTheKey()
    {
        var body = PluginTestData.Obj("""{"Message": "{not json"}""");

        var error = Assert.Throws<PayloadException>(() => Parse(body, PluginTestData.Obj("""{"load_json": ["Message"]}""")));

        Assert.Contains("load_json", error.Message);
        Assert.Contains("'Message'", error.Message);
    }

    [Fact]
    public void Parse_ConvertData_BuildsEventFromTemplatesOverDecodedSnsBody()
    {
        var options = PluginTestData.Obj("""
            {"load_json": ["Message"],
             "convert_data": {
               "event_key": "{{ Message.detail.eventArn }}",
               "title": "AWS Health: {{ Message.detail.eventTypeCode }}",
               "severity": "ERROR",
               "occurred_at": "{{Message.time}}",
               "account": "{{ Message.account }}",
               "resource.resource_id": "{{ Message.resources[1] }}",
               "resource.resource_type": "{{ Message.detail.service }}",
               "additional_info.entities": "{{ Message.detail.affectedEntities }}",
               "additional_info.topic": "{{ TopicArn }}",
               "description": "{{ Message.detail.missing.path }}"
             }}
            """);

        var e = Assert.Single(Parse(PluginTestData.Payload("aws-sns", "phd-health-abuse-event.json"), options));

        Assert.Equal("arn:aws:health:global::event/AWS_ABUSE_COPYRIGHT_DMCA_REPORT_2345235545_5323_2018_08_02_02_12_98", e.EventKey);
        Assert.Equal("AWS Health: AWS_ABUSE_COPYRIGHT_DMCA_REPORT", e.Title);
        Assert.Equal(Severities.Error, e.Severity);
        Assert.Equal("2018-08-02T05:30:00Z", e.OccurredAt);
        Assert.Equal("123456789012", e.Account);
        Assert.Equal("arn:aws:ec2:us-east-1:123456789012:instance/i-abcd2222", e.Resource.ResourceId);
        Assert.Equal("ABUSE", e.Resource.ResourceType);
        Assert.StartsWith("[{\"entityValue\":", e.AdditionalInfo["entities"]);
        Assert.Equal("arn:aws:sns:ap-southeast-2:1234567890:phd-info-dev", e.AdditionalInfo["topic"]);
        Assert.Equal("", e.Description);
    }

    /// <summary>The options example of the upstream plugin's README, verbatim: convert_data nests resource as an object.</summary>
    internal const string UpstreamReadmeOptions = """
        {
            "load_json": [
                "Message",
                "AdditionalInfo"
            ],
            "convert_data": {
               "event_key": "{{ Message.id }}",
               "title": "{{ Message.detail.EventID }}",
               "account": "{{ Message.account }}",
               "resource": {
                   "resource_id": "{{ Message.detail.SourceArn }}"
               },
               "occurred_at": "{{ Message.detail.Date }}"
           }
        }
        """;

    /// <summary>An SNS notification carrying an EventBridge RDS event (the kind of body that example reads) as a JSON string.</summary>
    internal const string SnsRdsEventBody = """
        {"Type": "Notification", "MessageId": "0f5e8b54-6a3c-5f3e-9d3b-2f1c1a9e7c11",
         "TopicArn": "arn:aws:sns:us-east-1:123456789012:rds-events",
         "Message": "{\"version\":\"0\",\"id\":\"68f6e973-1a0c-d37b-f2f2-94a7f62ffd4e\",\"detail-type\":\"RDS DB Instance Event\",\"source\":\"aws.rds\",\"account\":\"123456789012\",\"time\":\"2026-11-20T03:15:42Z\",\"region\":\"us-east-1\",\"resources\":[\"arn:aws:rds:us-east-1:123456789012:db:orders-db\"],\"detail\":{\"EventCategories\":[\"failover\"],\"SourceType\":\"DB_INSTANCE\",\"SourceArn\":\"arn:aws:rds:us-east-1:123456789012:db:orders-db\",\"Date\":\"2026-11-20T03:15:40.123Z\",\"Message\":\"Multi-AZ instance failover started.\",\"SourceIdentifier\":\"orders-db\",\"EventID\":\"RDS-EVENT-0013\"}}",
         "Timestamp": "2026-11-20T03:15:43.001Z"}
        """;

    [Fact]
    public void Parse_UpstreamReadmeExample_NestedResourceTemplateFillsResourceId()
    {
        var e = Assert.Single(Parse(PluginTestData.Obj(SnsRdsEventBody), PluginTestData.Obj(UpstreamReadmeOptions)));

        Assert.Equal("68f6e973-1a0c-d37b-f2f2-94a7f62ffd4e", e.EventKey);
        Assert.Equal("RDS-EVENT-0013", e.Title);
        Assert.Equal("123456789012", e.Account);
        Assert.Equal("arn:aws:rds:us-east-1:123456789012:db:orders-db", e.Resource.ResourceId);
        Assert.Equal("2026-11-20T03:15:40.123Z", e.OccurredAt);
        Assert.Equal(EventTypes.Alert, e.EventType);
    }

    [Fact]
    public void Parse_NestedAndDottedConvertData_SameFieldsMerged()
    {
        var options = PluginTestData.Obj("""
            {"convert_data": {"event_key": "{{ id }}", "title": "{{ name }}",
                              "resource": {"resource_id": "{{ arn }}"}, "resource.name": "{{ name }}",
                              "additional_info": {"region": "{{ where.region }}"}, "additional_info.zone": "{{ where.zone }}"}}
            """);

        var e = Assert.Single(Parse(PluginTestData.Obj("""{"id": "k1", "name": "db1", "arn": "arn:x", "where": {"region": "eu", "zone": "eu-1a"}}"""), options));

        Assert.Equal(new EventResource("arn:x", "db1", ""), e.Resource);
        Assert.Equal("eu", e.AdditionalInfo["region"]);
        Assert.Equal("eu-1a", e.AdditionalInfo["zone"]);
    }

    [Fact]
    public void Parse_ConvertDataPathOnUndecodedString_RejectedWithLoadJsonHint()
    {
        var options = PluginTestData.Obj("""{"convert_data": {"event_key": "{{ Message.detail.eventArn }}", "title": "x"}}""");

        var error = Assert.Throws<PayloadException>(() => Parse(PluginTestData.Payload("aws-sns", "phd-health-abuse-event.json"), options));

        Assert.Contains("convert_data.event_key", error.Message);
        Assert.Contains("Message.detail.eventArn", error.Message);
        Assert.Contains("load_json", error.Message);
    }

    [Fact]
    public void Parse_ConvertDataEnumValueFromBody_Checked()
    {
        var options = PluginTestData.Obj("""{"convert_data": {"event_key": "{{id}}", "title": "{{name}}", "severity": "{{level}}"}}""");

        var error = Assert.Throws<PayloadException>(() => Parse(PluginTestData.Obj("""{"id": 1, "name": "n", "level": "loud"}"""), options));

        Assert.Contains("severity 'loud'", error.Message);
    }

    [Theory]
    [InlineData("""{"load_json": "Message"}""", "load_json", "must be a list of strings")]
    [InlineData("""{"load_json": [1]}""", "load_json", "must be a list of strings")]
    [InlineData("""{"convert_data": ["x"]}""", "convert_data", "must be an object of templates")]
    [InlineData("""{"convert_data": {"title": 5}}""", "convert_data.title", "must be a template string")]
    [InlineData("""{"convert_data": {"resource": {"name": {"first": "{{ a }}"}}}}""", "convert_data.resource.name", "must be a template string")]
    [InlineData("""{"convert_data": {"resource": {"owner": "{{ a }}"}}}""", "convert_data.resource.owner", "is not an event field")]
    [InlineData("""{"convert_data": {"title": {"text": "{{ a }}"}}}""", "convert_data.title.text", "is not an event field")]
    [InlineData("""{"convert_data": {"priority": "{{ p }}"}}""", "convert_data.priority", "is not an event field")]
    [InlineData("""{"convert_data": {"resource.owner": "x"}}""", "convert_data.resource.owner", "is not an event field")]
    [InlineData("""{"convert_data": {"title": "{{ a.b"}}""", "convert_data.title", "unbalanced")]
    [InlineData("""{"convert_data": {"title": "{{ }}"}}""", "convert_data.title", "empty")]
    [InlineData("""{"loadjson": []}""", "loadjson", "unknown option 'loadjson'; accepted options: load_json, convert_data")]
    public void Options_Invalid_RejectedNamingTheOption(string json, string option, string message)
    {
        var error = Assert.Throws<OptionsException>(() => OptionChecker.Check(ApiDirectParser.Options, PluginTestData.Obj(json)));

        Assert.Equal(option, error.Option);
        Assert.Contains($"'{option}'", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Options_ValidTemplatesAndDefaults_Accepted()
    {
        OptionChecker.Check(ApiDirectParser.Options, PluginTestData.Obj("""
            {"load_json": ["Message"], "convert_data": {"event_key": "{{ a.b[0] }}", "additional_info.x": "lit {{c}}", "resource.name": "n"}}
            """));
        OptionChecker.Check(ApiDirectParser.Options, PluginTestData.Obj("""{"load_json": [], "convert_data": {}}"""));
    }

    [Fact]
    public void Parse_SamePayloadTwice_SameKeysAndTimeWhenGiven()
    {
        var first = Parse(PluginTestData.Payload("api-direct", "test-event-with-nonstring-additional-info.json"));
        var second = Parse(PluginTestData.Payload("api-direct", "test-event-with-nonstring-additional-info.json"));

        Assert.Equal(first[0], second[0] with { AdditionalInfo = first[0].AdditionalInfo });
        Assert.Equal(first[0].AdditionalInfo, second[0].AdditionalInfo);
    }
}
