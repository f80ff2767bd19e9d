using System.Text.Json.Nodes;
using Webhook.Plugins.Common;
using Webhook.Plugins.Grafana;
using Xunit;

namespace Webhook.Tests.Plugins;

public class GrafanaParserTests
{
    [Fact]
    public void Parse_LegacyAlertingDatabaseSize_AlertErrorWithStrippedTitle()
    {
        var e = Assert.Single(GrafanaParser.Parse(PluginTestData.Payload("grafana", "legacy-alerting-database-size.json")));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Error, e.Severity);
        Assert.Equal("Database Size alert", e.Title);
        Assert.Equal("Database Size alert", e.Rule);
        Assert.Equal("데이터베이스~", e.Description);
        Assert.Equal("grafana-legacy/org/1/dashboard/58/panel/5/rule/93", e.EventKey);
        Assert.Equal("https://grafana.stargate.cloudeco.io/d/9tvNgo77k/mongodb-database-details_copy-20210818?tab=alert&viewPanel=5&orgId=1", e.AdditionalInfo["rule_url"]);
        Assert.Equal("24", e.AdditionalInfo["eval_match.Count"]);
        Assert.Equal("yoon", e.AdditionalInfo["tag.jiji"]);
        Assert.Equal("grafana", e.Provider);
    }

    [Fact]
    public void Parse_LegacyOkKubelet_RecoveryInfo()
    {
        var e = Assert.Single(GrafanaParser.Parse(PluginTestData.Payload("grafana", "legacy-ok-kubelet-error-rate.json")));

        Assert.Equal(EventTypes.Recovery, e.EventType);
        Assert.Equal(Severities.Info, e.Severity);
        Assert.Equal("Kubelet Runtime Operations Error Rate alert", e.Title);
        Assert.Equal("Kubelet Runtime Operations Error Rate alert", e.Rule);
        Assert.Equal("grafana-legacy/org/1/dashboard/44/panel/14/rule/92", e.EventKey);
        Assert.Equal("", e.Description);
    }

    [Fact]
    public void Parse_LegacyTestNotification_OneInfoEventSayingItIsATest()
    {
        var e = Assert.Single(GrafanaParser.Parse(PluginTestData.Payload("grafana", "legacy-test-notification.json")));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Info, e.Severity);
        Assert.Contains("test", e.Title, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not a real alert", e.Description);
        Assert.Equal("true", e.AdditionalInfo["test"]);
        Assert.Equal("100", e.AdditionalInfo["eval_match.High value"]);
        Assert.Equal("200", e.AdditionalInfo["eval_match.Higher Value"]);
    }

    [Theory]
    [InlineData("ok", "RECOVERY", "INFO")]
    [InlineData("alerting", "ALERT", "ERROR")]
    [InlineData("no_data", "ALERT", "WARNING")]
    [InlineData("paused", "ALERT", "INFO")]
    [InlineData("pending", "ALERT", "INFO")]
    [InlineData("weird", "ALERT", "NOT_AVAILABLE")]
    public void Parse_LegacyState_MapsTypeAndSeverity(string state, string type, string severity)
    {
        var payload = PluginTestData.Payload("grafana", "legacy-alerting-database-size.json");
        payload["state"] = state;

        var e = Assert.Single(GrafanaParser.Parse(payload));

        Assert.Equal(type, e.EventType);
        Assert.Equal(severity, e.Severity);
        Assert.Equal("grafana-legacy/org/1/dashboard/58/panel/5/rule/93", e.EventKey);
    }

    [Fact]
    public void Parse_LegacyImageUrlAndTaggedEvalMatch_Kept()
    {
        var payload = PluginTestData.Payload("grafana", "legacy-alerting-database-size.json");
        payload["imageUrl"] = "https://grafana.example/render/panel.png";
        payload["evalMatches"] = JsonNode.Parse("""[{"metric": "cpu", "tags": {"host": "db1"}, "value": 97.5}]""");

        var e = Assert.Single(GrafanaParser.Parse(payload));

        Assert.Equal("https://grafana.example/render/panel.png", e.ImageUrl);
        Assert.Equal("97.5", e.AdditionalInfo["eval_match.cpu{host=db1}"]);
    }

    [Fact]
    public void Parse_UnifiedTwoAlerts_OneEventEachWithPrometheusRulesAndImage()
    {
        var events = GrafanaParser.Parse(PluginTestData.Sample("grafana-unified-firing.json"));

        Assert.Equal(2, events.Count);
        var first = events[0];
        Assert.Equal("c6eadffa33fcdf37", first.EventKey);
        Assert.Equal(EventTypes.Alert, first.EventType);
        Assert.Equal(Severities.Critical, first.Severity);
        Assert.Equal("This alert was triggered for zone us-1", first.Title);
        Assert.Equal("The system has high memory usage", first.Description);
        Assert.Equal("High memory usage", first.Rule);
        Assert.Equal("2021-10-12T07:51:03.157076Z", first.OccurredAt);
        Assert.Equal("https://play.grafana.org/d/dashboard?viewPanel=4", first.ImageUrl);
        Assert.Equal("us-1", first.AdditionalInfo["zone"]);
        Assert.Equal("https://myrunbook.com/runbook/1234", first.AdditionalInfo["runbook_url"]);
        Assert.Equal("grafana", first.Provider);

        var second = events[1];
        Assert.Equal("bc97ff14869b13e3", second.EventKey);
        Assert.Equal("(blue)", second.Title);
        Assert.Equal(Severities.NotAvailable, second.Severity);
        Assert.Equal("https://play.grafana.org/d/dashboard", second.ImageUrl);
        Assert.Equal(new EventResource("web-eu-1:9100", "web-eu-1:9100", "instance"), second.Resource);
    }

    [Fact]
    public void Parse_UnifiedResolvedWithoutTitleOrSummary_RecoveryTitledByAlertname()
    {
        var payload = PluginTestData.Sample("grafana-unified-firing.json");
        payload.AsObject().Remove("title");
        payload["alerts"]![1]!["status"] = "resolved";

        var e = GrafanaParser.Parse(payload)[1];

        Assert.Equal(EventTypes.Recovery, e.EventType);
        Assert.Equal("High CPU usage", e.Title);
    }

    [Fact]
    public void Parse_UnifiedResolved_RecoveryAtEndsAt()
    {
        var payload = PluginTestData.Sample("grafana-unified-firing.json");
        payload["alerts"]![1]!["status"] = "resolved";
        payload["alerts"]![1]!["endsAt"] = "2021-10-12T10:01:03.157076+02:00";

        var events = GrafanaParser.Parse(payload);

        Assert.Equal((EventTypes.Alert, "2021-10-12T07:51:03.157076Z"), (events[0].EventType, events[0].OccurredAt));
        Assert.Equal((EventTypes.Recovery, "2021-10-12T08:01:03.157076Z"), (events[1].EventType, events[1].OccurredAt));
    }

    [Fact]
    public void Parse_UnifiedEmptyAlerts_NoEvents()
    {
        Assert.Empty(GrafanaParser.Parse(PluginTestData.Obj("""{"alerts": [], "groupKey": "{}:{}", "orgId": 1}""")));
    }

    [Fact]
    public void Parse_UnifiedContactPointTest_IsInfo()
    {
        var payload = PluginTestData.Obj("""
            {"orgId": 1, "groupKey": "test", "alerts": [{"status": "firing", "labels": {"alertname": "TestAlert", "instance": "Grafana"},
             "annotations": {"summary": "Notification test"}, "startsAt": "2024-01-01T00:00:00Z", "fingerprint": "57c6d9296de2ad39"}]}
            """);

        var e = Assert.Single(GrafanaParser.Parse(payload));

        Assert.Equal(Severities.Info, e.Severity);
        Assert.Equal("true", e.AdditionalInfo["test"]);
    }

    [Fact]
    public void Parse_SamePayloadTwice_SameKeys()
    {
        var first = GrafanaParser.Parse(PluginTestData.Payload("grafana", "legacy-test-notification.json"));
        var second = GrafanaParser.Parse(PluginTestData.Payload("grafana", "legacy-test-notification.json"));

        Assert.Equal(first[0].EventKey, second[0].EventKey);
    }

    [Theory]
    [InlineData("""{"dashboardId": 1}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"alerts": "none"}""")]
    public void Parse_NotGrafana_ThrowsNamingBothFormats(string json)
    {
        var error = Assert.Throws<PayloadException>(() => GrafanaParser.Parse(JsonNode.Parse(json)));

        Assert.Contains("unified alerting", error.Message);
        Assert.Contains("legacy alerting", error.Message);
    }
}
