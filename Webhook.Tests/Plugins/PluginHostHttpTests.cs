using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Webhook.Tests.Plugins;

[Collection(PluginHostCollection.Name)]
public sealed class PluginHostHttpTests(PluginHostFixture host)
{
    public static TheoryData<string, string> Plugins => new()
    {
        { "prometheus", "plugin-prometheus-mon-webhook" },
        { "grafana", "plugin-grafana-mon-webhook" },
        { "aws-sns", "plugin-aws-sns-mon-webhook" },
        { "api-direct", "plugin-api-direct-mon-webhook" },
        { "azure-monitor", "plugin-azure-monitor-mon-webhook" },
    };

    private static string Init(string plugin) => $"/{plugin}/monitoring/plugin/v1/webhook/init";

    private static string Verify(string plugin) => $"/{plugin}/monitoring/plugin/v1/webhook/verify";

    private static string Parse(string plugin) => $"/{plugin}/monitoring/plugin/v1/event/parse";

    private static JsonObject ParseRequest(JsonNode? data, JsonObject? options = null) =>
        new() { ["options"] = options ?? [], ["data"] = data };

    [Theory]
    [MemberData(nameof(Plugins))]
    public async Task Init_EachPlugin_ReturnsMetadataForAConsoleForm(string plugin, string pluginId)
    {
        var response = await host.PostJsonAsync(Init(plugin), PluginTestData.Obj("""{"options": {}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metadata = (await PluginHostFixture.BodyAsync(response))["metadata"]!.AsObject();
        Assert.Equal(pluginId, metadata["plugin_id"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(metadata["name"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(metadata["description"]!.GetValue<string>()));
        Assert.NotEmpty(metadata["accepts"]!["content_types"]!.AsArray());
        Assert.Equal("object", metadata["options_schema"]!["type"]!.GetValue<string>());
        Assert.NotNull(metadata["options_schema"]!["properties"]!.AsObject());
    }

    [Fact]
    public async Task Init_ApiDirect_DescribesItsTwoOptionsWithTypesAndDefaults()
    {
        var response = await host.PostJsonAsync(Init("api-direct"), PluginTestData.Obj("""{"options": {}}"""));

        var properties = (await PluginHostFixture.BodyAsync(response))["metadata"]!["options_schema"]!["properties"]!.AsObject();
        Assert.Equal(["load_json", "convert_data"], properties.Select(p => p.Key));
        Assert.Equal("array", properties["load_json"]!["type"]!.GetValue<string>());
        Assert.Equal("string", properties["load_json"]!["items"]!["type"]!.GetValue<string>());
        Assert.Equal("[]", properties["load_json"]!["default"]!.ToJsonString());
        Assert.Equal("object", properties["convert_data"]!["type"]!.GetValue<string>());
        Assert.Equal("{}", properties["convert_data"]!["default"]!.ToJsonString());
        Assert.False(string.IsNullOrWhiteSpace(properties["convert_data"]!["description"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Init_AwsSns_AcceptsTextPlain()
    {
        var response = await host.PostJsonAsync(Init("aws-sns"), PluginTestData.Obj("""{"options": {}}"""));

        var accepts = (await PluginHostFixture.BodyAsync(response))["metadata"]!["accepts"]!["content_types"]!.AsArray();
        Assert.Contains("text/plain", accepts.Select(a => a!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"options": null}""")]
    [InlineData("""{"options": {}}""")]
    public async Task Verify_NoOrEmptyOptions_ReturnsEmptyObject(string body)
    {
        var response = await host.PostRawAsync(Verify("prometheus"), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("prometheus", """{"severity": "x"}""", "severity", "unknown option 'severity'")]
    [InlineData("grafana", """{"token": "x"}""", "token", "unknown option 'token'")]
    [InlineData("aws-sns", """{"allowed_hosts": ["x"]}""", "allowed_hosts", "unknown option 'allowed_hosts'")]
    [InlineData("aws-sns", """{"verify_signature": "no"}""", "verify_signature", "must be a boolean")]
    [InlineData("aws-sns", """{"allowed_topic_arns": "arn:aws:sns:*:1:t"}""", "allowed_topic_arns", "must be a list of strings")]
    [InlineData("aws-sns", """{"allowed_topic_arns": ["arn:aws:sns:*:1:t", "alerts"]}""", "allowed_topic_arns[1]", "must be a topic ARN")]
    [InlineData("azure-monitor", """{"x": 1}""", "x", "unknown option 'x'")]
    [InlineData("api-direct", """{"load_json": "Message"}""", "load_json", "must be a list of strings")]
    [InlineData("api-direct", """{"convert_data": {"title": 1}}""", "convert_data.title", "must be a template string")]
    [InlineData("api-direct", """{"convert_data": {"nope": "{{a}}"}}""", "convert_data.nope", "is not an event field")]
    [InlineData("api-direct", """{"extra": true}""", "extra", "unknown option 'extra'")]
    public async Task InitAndVerify_BadOptions_400NamingTheOption(string plugin, string options, string option, string message)
    {
        var body = PluginTestData.Obj($$"""{"options": {{options}}}""");

        foreach (var path in new[] { Init(plugin), Verify(plugin) })
        {
            var response = await host.PostJsonAsync(path, body);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await PluginHostFixture.BodyAsync(response);
            Assert.Equal("ERROR_INVALID_PLUGIN_OPTIONS", error["code"]!.GetValue<string>());
            Assert.Contains($"'{option}'", error["message"]!.GetValue<string>());
            Assert.Contains(message, error["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Verify_ApiDirectValidOptions_Ok()
    {
        var response = await host.PostJsonAsync(Verify("api-direct"), PluginTestData.Obj("""
            {"options": {"load_json": ["Message"], "convert_data": {"event_key": "{{ Message.id }}", "title": "{{ Subject }}"}}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task InitAndParse_ApiDirectUpstreamReadmeOptions_AcceptedAndApplied()
    {
        var options = PluginTestData.Obj(ApiDirectParserTests.UpstreamReadmeOptions);

        var init = await host.PostJsonAsync(Init("api-direct"), new JsonObject { ["options"] = options.DeepClone() });
        var parse = await host.PostJsonAsync(Parse("api-direct"), ParseRequest(PluginTestData.Obj(ApiDirectParserTests.SnsRdsEventBody), options));

        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        var e = Assert.Single((await PluginHostFixture.BodyAsync(parse))["results"]!.AsArray())!;
        Assert.Equal("arn:aws:rds:us-east-1:123456789012:db:orders-db", e["resource"]!["resource_id"]!.GetValue<string>());
        Assert.Equal("RDS-EVENT-0013", e["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("""{"options": {}""")]
    [InlineData("""{"options": {}, "options": {}}""")]
    [InlineData("[1]")]
    public async Task Verify_BodyNotAJsonObject_400InvalidRequest(string body)
    {
        var response = await host.PostRawAsync(Verify("grafana"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ERROR_INVALID_REQUEST", (await PluginHostFixture.BodyAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_OptionsNotAnObject_400()
    {
        var response = await host.PostRawAsync(Verify("prometheus"), """{"options": []}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ERROR_INVALID_PLUGIN_OPTIONS", (await PluginHostFixture.BodyAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownPlugin_404WithCode()
    {
        var response = await host.PostJsonAsync(Init("nagios"), PluginTestData.Obj("""{"options": {}}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ERROR_NOT_FOUND", (await PluginHostFixture.BodyAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_PrometheusSample_RoundTripsEveryEventFieldSnakeCase()
    {
        var response = await host.PostJsonAsync(Parse("prometheus"), ParseRequest(PluginTestData.Payload("prometheus", "alertmanager-kubepodnotready-warning.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = Assert.Single((await PluginHostFixture.BodyAsync(response))["results"]!.AsArray())!.AsObject();
        string[] fields = ["event_key", "event_type", "title", "description", "severity", "resource", "rule", "occurred_at", "additional_info", "image_url", "provider", "account"];
        Assert.Equal(fields.Order(), e.Select(p => p.Key).Order());
        Assert.Equal(["name", "resource_id", "resource_type"], e["resource"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("469fd6fbb9dbabaa", e["event_key"]!.GetValue<string>());
        Assert.Equal("WARNING", e["severity"]!.GetValue<string>());
        Assert.Equal("2021-10-12T04:13:01.794Z", e["occurred_at"]!.GetValue<string>());
        Assert.Equal("pod", e["resource"]!["resource_type"]!.GetValue<string>());
        Assert.Equal("", e["image_url"]!.GetValue<string>());
        Assert.Equal("KubePodNotReady", e["additional_info"]!["alertname"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_UnknownTime_OccurredAtIsNull()
    {
        var response = await host.PostJsonAsync(Parse("grafana"), ParseRequest(PluginTestData.Payload("grafana", "legacy-ok-kubelet-error-rate.json")));

        var e = Assert.Single((await PluginHostFixture.BodyAsync(response))["results"]!.AsArray())!.AsObject();
        Assert.True(e.ContainsKey("occurred_at"));
        Assert.Null(e["occurred_at"]);
        Assert.Equal("RECOVERY", e["event_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_KoreanText_NotEscapedInResponse()
    {
        var response = await host.PostJsonAsync(Parse("grafana"), ParseRequest(PluginTestData.Payload("grafana", "legacy-alerting-database-size.json")));

        Assert.Contains("데이터베이스~", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Parse_SamePayloadTwice_SameKeys()
    {
        var request = ParseRequest(PluginTestData.Payload("prometheus", "alertmanager-2-firing-critical.json"));

        var first = await PluginHostFixture.BodyAsync(await host.PostJsonAsync(Parse("prometheus"), request));
        var second = await PluginHostFixture.BodyAsync(await host.PostJsonAsync(Parse("prometheus"), request));

        Assert.Equal(["e2a3b36a4e1832ef", "b81c57e53f0bff63"], first["results"]!.AsArray().Select(r => r!["event_key"]!.GetValue<string>()));
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }

    [Fact]
    public async Task Parse_SnsBodyPassedAsString_Parsed()
    {
        var data = JsonValue.Create(host.Signer.SignedText(PluginTestData.PayloadText("aws-sns", "cloudwatch-ec2-cpu-alarm.json")));

        var response = await host.PostJsonAsync(Parse("aws-sns"), ParseRequest(data));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = Assert.Single((await PluginHostFixture.BodyAsync(response))["results"]!.AsArray())!;
        Assert.Equal("EC2-CPU", e["title"]!.GetValue<string>());
        Assert.Equal("257706363616", e["account"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_ApiDirectLiteralDatetime_400NamingOccurredAt()
    {
        var response = await host.PostJsonAsync(Parse("api-direct"), ParseRequest(PluginTestData.Payload("api-direct", "readme-event-literal-occurred_at-datetime.json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await PluginHostFixture.BodyAsync(response);
        Assert.Equal("ERROR_INVALID_PAYLOAD", error["code"]!.GetValue<string>());
        Assert.Contains("occurred_at", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_ApiDirectWithOptions_AppliesThem()
    {
        var options = PluginTestData.Obj("""{"load_json": ["Message"], "convert_data": {"event_key": "{{ Message.id }}", "title": "{{ Subject }}"}}""");
        var data = PluginTestData.Obj("""{"Subject": "Disk full", "Message": "{\"id\": \"evt-1\"}"}""");

        var response = await host.PostJsonAsync(Parse("api-direct"), ParseRequest(data, options));

        var e = Assert.Single((await PluginHostFixture.BodyAsync(response))["results"]!.AsArray())!;
        Assert.Equal("evt-1", e["event_key"]!.GetValue<string>());
        Assert.Equal("Disk full", e["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_ApiDirectBadOptions_400()
    {
        var response = await host.PostJsonAsync(Parse("api-direct"), ParseRequest(PluginTestData.Obj("{}"), PluginTestData.Obj("""{"load_json": 3}""")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ERROR_INVALID_PLUGIN_OPTIONS", (await PluginHostFixture.BodyAsync(response))["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("prometheus", "Alertmanager webhook payload")]
    [InlineData("grafana", "Grafana alert webhook")]
    [InlineData("aws-sns", "AWS SNS HTTP message")]
    [InlineData("api-direct", "expected an event object")]
    [InlineData("azure-monitor", "Azure Monitor alert")]
    public async Task Parse_PayloadNotUnderstood_400SayingWhatWasExpected(string plugin, string expected)
    {
        var response = await host.PostJsonAsync(Parse(plugin), ParseRequest(JsonValue.Create("<html>hello</html>")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await PluginHostFixture.BodyAsync(response);
        Assert.Equal("ERROR_INVALID_PAYLOAD", error["code"]!.GetValue<string>());
        Assert.Contains(expected, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_NoData_400()
    {
        var response = await host.PostJsonAsync(Parse("prometheus"), PluginTestData.Obj("""{"options": {}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ERROR_INVALID_PAYLOAD", (await PluginHostFixture.BodyAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_AzureCommonSchema_RoundTrip()
    {
        var response = await host.PostJsonAsync(Parse("azure-monitor"), ParseRequest(PluginTestData.Sample("azure-common-log-fired.json")));

        var e = Assert.Single((await PluginHostFixture.BodyAsync(response))["results"]!.AsArray())!;
        Assert.Equal("AcmeRule", e["title"]!.GetValue<string>());
        Assert.Equal("CRITICAL", e["severity"]!.GetValue<string>());
    }
}
