using System.Text.Json.Nodes;
using Webhook.Plugins.Common;
using Webhook.Plugins.Prometheus;
using Xunit;

namespace Webhook.Tests.Plugins;

public class PrometheusParserTests
{
    private static JsonObject Payload(params JsonObject[] alerts) =>
        new() { ["version"] = "4", ["status"] = "firing", ["alerts"] = new JsonArray([.. alerts]) };

    private static JsonObject Alert(string labels = "{}", string annotations = "{}", string? status = "firing", string? fingerprint = "abc", string startsAt = "2024-01-01T10:00:00Z")
    {
        var alert = new JsonObject
        {
            ["labels"] = JsonNode.Parse(labels),
            ["annotations"] = JsonNode.Parse(annotations),
            ["startsAt"] = startsAt,
            ["endsAt"] = "0001-01-01T00:00:00Z",
        };
        if (status is not null)
        {
            alert["status"] = status;
        }

        if (fingerprint is not null)
        {
            alert["fingerprint"] = fingerprint;
        }

        return alert;
    }

    [Fact]
    public void Parse_TwoFiringCriticalSample_GivesTwoCriticalAlertsKeyedByFingerprint()
    {
        var events = AlertmanagerParser.Parse(PluginTestData.Payload("prometheus", "alertmanager-2-firing-critical.json"));

        Assert.Equal(["e2a3b36a4e1832ef", "b81c57e53f0bff63"], events.Select(e => e.EventKey));
        Assert.All(events, e =>
        {
            Assert.Equal(EventTypes.Alert, e.EventType);
            Assert.Equal(Severities.Critical, e.Severity);
            Assert.Equal("Prometheus is failing rule evaluations.", e.Title);
            Assert.Equal("PrometheusRuleFailures", e.Rule);
            Assert.Equal("2021-08-23T05:16:56.154Z", e.OccurredAt);
            Assert.Equal(new EventResource("172.16.17.80:9090", "172.16.17.80:9090", "instance"), e.Resource);
            Assert.Equal("prometheus", e.Provider);
            Assert.StartsWith("http://prometheus-kube-prometheus-prometheus.prometheus:9090/graph", e.AdditionalInfo["generator_url"]);
            Assert.Equal("https://github.com/kubernetes-monitoring/kubernetes-mixin/tree/master/runbook.md#alert-name-prometheusrulefailures", e.AdditionalInfo["runbook_url"]);
            Assert.False(e.AdditionalInfo.ContainsKey("ends_at"));
        });
        Assert.Equal("Prometheus prometheus/prometheus-prometheus-kube-prometheus-prometheus-0 has failed to evaluate 30 rules in the last 5m.", events[0].Description);
        Assert.EndsWith("kubelet.rules", events[0].AdditionalInfo["rule_group"]);
        Assert.EndsWith("kubernetes-system-kubelet", events[1].AdditionalInfo["rule_group"]);
    }

    [Fact]
    public void Parse_KubePodNotReadySample_GivesOneWarningAlertOnThePod()
    {
        var events = AlertmanagerParser.Parse(PluginTestData.Payload("prometheus", "alertmanager-kubepodnotready-warning.json"));

        var e = Assert.Single(events);
        Assert.Equal("469fd6fbb9dbabaa", e.EventKey);
        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Warning, e.Severity);
        Assert.Equal("Pod has been in a non-ready state for more than 15 minutes.", e.Title);
        Assert.Equal("pod", e.Resource.ResourceType);
        Assert.Equal("prometheus-prometheus-node-exporter-xp6jv", e.Resource.Name);
        Assert.Equal("KubePodNotReady", e.Rule);
        Assert.Equal("2021-10-12T04:13:01.794Z", e.OccurredAt);
        Assert.Equal("prometheus", e.AdditionalInfo["namespace"]);
        Assert.Equal("default/prometheus-1-kube-promethe-prometheus", e.AdditionalInfo["prometheus"]);
    }

    [Fact]
    public void Parse_EmptyAlerts_GivesNoEvents()
    {
        Assert.Empty(AlertmanagerParser.Parse(Payload()));
    }

    [Theory]
    [InlineData("resolved", "RECOVERY")]
    [InlineData("firing", "ALERT")]
    [InlineData(null, "ALERT")]
    public void Parse_Status_MapsEventType(string? status, string expected)
    {
        var e = Assert.Single(AlertmanagerParser.Parse(Payload(Alert(status: status))));

        Assert.Equal(expected, e.EventType);
    }

    [Fact]
    public void Parse_ResolvedCopyOfSample_KeepsTheKeyAndRecovers()
    {
        var payload = PluginTestData.Payload("prometheus", "alertmanager-kubepodnotready-warning.json");
        payload["status"] = "resolved";
        payload["alerts"]![0]!["status"] = "resolved";
        payload["alerts"]![0]!["endsAt"] = "2021-10-12T05:00:01.5+01:00";

        var e = Assert.Single(AlertmanagerParser.Parse(payload));

        Assert.Equal("469fd6fbb9dbabaa", e.EventKey);
        Assert.Equal(EventTypes.Recovery, e.EventType);
        Assert.Equal("2021-10-12T04:00:01.5Z", e.AdditionalInfo["ends_at"]);
    }

    [Fact]
    public void Parse_RealAlertmanagerResolvedNotification_RecoveryAtEndsAt()
    {
        // Sent by prometheus-alertmanager 0.25 (Debian) on loopback after an alert was posted firing, then with endsAt.
        var e = Assert.Single(AlertmanagerParser.Parse(PluginTestData.Sample("alertmanager-resolved-diskfull.json")));

        Assert.Equal(EventTypes.Recovery, e.EventType);
        Assert.Equal("1751650d45bf7d6b", e.EventKey);
        Assert.Equal("2026-12-03T13:49:30Z", e.OccurredAt);
        Assert.Equal("2026-12-03T13:47:26Z", e.AdditionalInfo["starts_at"]);
        Assert.Equal("2026-12-03T13:49:30Z", e.AdditionalInfo["ends_at"]);
    }

    [Theory]
    [InlineData("firing", "2024-01-01T10:00:00Z", "2024-01-01T09:00:00Z")]
    [InlineData("resolved", "0001-01-01T00:00:00Z", "2024-01-01T09:00:00Z")]
    [InlineData("resolved", null, "2024-01-01T09:00:00Z")]
    [InlineData("resolved", "2024-01-01T10:00:00+01:00", "2024-01-01T09:00:00Z")]
    [InlineData("resolved", "2024-01-01T10:30:00Z", "2024-01-01T10:30:00Z")]
    public void Parse_OccurredAt_StartsAtUnlessResolvedWithAnEnd(string status, string? endsAt, string expected)
    {
        var alert = PluginTestData.Obj($$"""{"status": "{{status}}", "labels": {}, "startsAt": "2024-01-01T09:00:00Z"}""");
        if (endsAt is not null)
        {
            alert["endsAt"] = endsAt;
        }

        var e = Assert.Single(AlertmanagerParser.Parse(new JsonObject { ["alerts"] = new JsonArray(alert) }));

        Assert.Equal(expected, e.OccurredAt);
    }

    [Theory]
    [InlineData("critical", "CRITICAL")]
    [InlineData("error", "ERROR")]
    [InlineData("warning", "WARNING")]
    [InlineData("info", "INFO")]
    [InlineData("Warning", "WARNING")]
    [InlineData("page", "NOT_AVAILABLE")]
    [InlineData(null, "NOT_AVAILABLE")]
    public void Parse_SeverityLabel_MapsSeverity(string? label, string expected)
    {
        var labels = label is null ? "{}" : $$"""{"severity": "{{label}}"}""";

        var e = Assert.Single(AlertmanagerParser.Parse(Payload(Alert(labels))));

        Assert.Equal(expected, e.Severity);
    }

    [Theory]
    [InlineData("""{"alertname": "A"}""", """{"summary": "S"}""", "S")]
    [InlineData("""{"alertname": "A"}""", """{"summary": ""}""", "A")]
    [InlineData("{}", "{}", "no title")]
    public void Parse_Title_SummaryThenAlertnameThenNoTitle(string labels, string annotations, string expected)
    {
        var e = Assert.Single(AlertmanagerParser.Parse(Payload(Alert(labels, annotations))));

        Assert.Equal(expected, e.Title);
    }

    [Theory]
    [InlineData("""{"description": "D", "message": "M"}""", "D")]
    [InlineData("""{"message": "M"}""", "M")]
    [InlineData("{}", "")]
    public void Parse_Description_DescriptionThenMessage(string annotations, string expected)
    {
        var e = Assert.Single(AlertmanagerParser.Parse(Payload(Alert(annotations: annotations))));

        Assert.Equal(expected, e.Description);
    }

    [Theory]
    [InlineData("""{"namespace": "ns", "job": "j", "pod": "p1", "container": "c"}""", "pod", "p1")]
    [InlineData("""{"namespace": "ns", "service": "svc", "node": "n1"}""", "node", "n1")]
    [InlineData("""{"namespace": "ns", "deployment": "d", "statefulset": "s"}""", "deployment", "d")]
    [InlineData("""{"namespace": "ns", "daemonset": "ds"}""", "daemonset", "ds")]
    [InlineData("""{"job": "j", "namespace": "ns"}""", "job", "j")]
    [InlineData("""{"namespace": "ns"}""", "namespace", "ns")]
    [InlineData("""{"alertname": "x"}""", "", "")]
    public void Parse_Resource_FirstLabelInPriorityOrder(string labels, string type, string name)
    {
        var e = Assert.Single(AlertmanagerParser.Parse(Payload(Alert(labels))));

        Assert.Equal(type, e.Resource.ResourceType);
        Assert.Equal(name, e.Resource.Name);
    }

    [Fact]
    public void Parse_NoFingerprint_KeyIsHashOfSortedLabelsAndStable()
    {
        var a = Alert("""{"b": "2", "a": "1"}""", fingerprint: null);
        var sameLabelsOtherOrder = Alert("""{"a": "1", "b": "2"}""", fingerprint: null);
        var otherLabels = Alert("""{"a": "1", "b": "3"}""", fingerprint: null);

        var events = AlertmanagerParser.Parse(Payload(a, sameLabelsOtherOrder, otherLabels));

        Assert.Matches("^[0-9a-f]{16}$", events[0].EventKey);
        Assert.Equal(events[0].EventKey, events[1].EventKey);
        Assert.NotEqual(events[0].EventKey, events[2].EventKey);
    }

    [Fact]
    public void Parse_SamePayloadTwice_SameKeys()
    {
        var first = AlertmanagerParser.Parse(PluginTestData.Payload("prometheus", "alertmanager-2-firing-critical.json"));
        var second = AlertmanagerParser.Parse(PluginTestData.Payload("prometheus", "alertmanager-2-firing-critical.json"));

        Assert.Equal(first.Select(e => e.EventKey), second.Select(e => e.EventKey));
    }

    [Fact]
    public void Parse_StartsAtWithOffset_ConvertedToUtc()
    {
        var e = Assert.Single(AlertmanagerParser.Parse(Payload(Alert(startsAt: "2024-01-01T19:00:00.123456789+09:00"))));

        Assert.Equal("2024-01-01T10:00:00.123456789Z", e.OccurredAt);
    }

    [Fact]
    public void Parse_MissingOptionalFields_StillOneEventWithEveryFieldSet()
    {
        var e = Assert.Single(AlertmanagerParser.Parse(PluginTestData.Obj("""{"alerts": [{}]}""")));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal("no title", e.Title);
        Assert.Equal("", e.Description);
        Assert.Equal("", e.Rule);
        Assert.Null(e.OccurredAt);
        Assert.Empty(e.AdditionalInfo);
        Assert.Equal(EventResource.Empty, e.Resource);
    }

    [Fact]
    public void Parse_AllLabelsAndAlertnameRuleGroup_InAdditionalInfo()
    {
        var e = Assert.Single(AlertmanagerParser.Parse(Payload(Alert("""{"alertname": "A", "rule_group": "g", "team": "db", "replicas": 3}"""))));

        Assert.Equal("A", e.Rule);
        Assert.Equal("g", e.AdditionalInfo["rule_group"]);
        Assert.Equal("db", e.AdditionalInfo["team"]);
        Assert.Equal("3", e.AdditionalInfo["replicas"]);
    }

    [Theory]
    [InlineData("""{"status": "firing"}""", "there is no 'alerts'")]
    [InlineData("""{"alerts": {}}""", "'alerts' is an object")]
    [InlineData("""{"alerts": [1]}""", "alerts[0] is a number")]
    [InlineData("""[]""", "got an array")]
    [InlineData("\"hello\"", "got a string")]
    public void Parse_NotAlertmanager_ThrowsNamingWhatWasExpected(string json, string detail)
    {
        var error = Assert.Throws<PayloadException>(() => AlertmanagerParser.Parse(JsonNode.Parse(json)));

        Assert.Contains("Alertmanager webhook payload", error.Message);
        Assert.Contains("'alerts' array", error.Message);
        Assert.Contains(detail, error.Message);
    }
}
