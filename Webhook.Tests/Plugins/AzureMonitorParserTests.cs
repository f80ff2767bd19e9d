using System.Text.Json.Nodes;
using Webhook.Plugins.AzureMonitor;
using Webhook.Plugins.Common;
using Xunit;

namespace Webhook.Tests.Plugins;

public class AzureMonitorParserTests
{
    [Fact]
    public void Parse_CommonSchemaResolvedMetric_RecoveryAtResolvedTime()
    {
        var e = Assert.Single(AzureMonitorParser.Parse(PluginTestData.Sample("azure-common-metric-resolved.json")));

        Assert.Equal("/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", e.EventKey);
        Assert.Equal(EventTypes.Recovery, e.EventType);
        Assert.Equal(Severities.Info, e.Severity);
        Assert.Equal("WCUS-R2-Gen2", e.Title);
        Assert.Equal("WCUS-R2-Gen2", e.Rule);
        Assert.Equal("2019-03-22T14:03:16.2246313Z", e.OccurredAt);
        Assert.Equal("/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/pipelinealertrg/providers/microsoft.compute/virtualmachines/wcus-r2-gen2", e.Resource.ResourceId);
        Assert.Equal("wcus-r2-gen2", e.Resource.Name);
        Assert.Equal("microsoft.compute/virtualmachines", e.Resource.ResourceType);
        Assert.Equal("11111111-1111-1111-1111-111111111111", e.Account);
        Assert.Equal("azure", e.Provider);
        Assert.Equal("Value1", e.AdditionalInfo["Key1"]);
        Assert.Equal("SingleResourceMultipleMetricCriteria", e.AdditionalInfo["conditionType"]);
        Assert.False(e.AdditionalInfo.ContainsKey("condition"));
    }

    [Fact]
    public void Parse_CommonSchemaFiredLog_AlertAtFiredTime()
    {
        var e = Assert.Single(AzureMonitorParser.Parse(PluginTestData.Sample("azure-common-log-fired.json")));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Critical, e.Severity);
        Assert.Equal("AcmeRule", e.Title);
        Assert.Equal("log alert rule V2", e.Description);
        Assert.Equal("2020-07-09T14:04:49.99645Z", e.OccurredAt);
        Assert.Equal("testvm", e.Resource.Name);
        Assert.Equal("12345a-1234b-123c-123d-12345678e", e.Account);
        Assert.Equal("Log", e.AdditionalInfo["signal_type"]);
    }

    [Theory]
    [InlineData("Sev0", "CRITICAL")]
    [InlineData("Sev1", "ERROR")]
    [InlineData("Sev2", "WARNING")]
    [InlineData("Sev3", "INFO")]
    [InlineData("Sev4", "INFO")]
    [InlineData("SevX", "NOT_AVAILABLE")]
    public void Parse_CommonSchemaSeverity_Mapped(string severity, string expected)
    {
        var payload = PluginTestData.Sample("azure-common-log-fired.json");
        payload["data"]!["essentials"]!["severity"] = severity;

        Assert.Equal(expected, Assert.Single(AzureMonitorParser.Parse(payload)).Severity);
    }

    [Fact]
    public void Parse_CommonSchemaFiredAndResolved_SameKey()
    {
        var resolved = PluginTestData.Sample("azure-common-metric-resolved.json");
        var fired = PluginTestData.Sample("azure-common-metric-resolved.json");
        fired["data"]!["essentials"]!["monitorCondition"] = "Fired";
        fired["data"]!["essentials"]!.AsObject().Remove("resolvedDateTime");

        var a = Assert.Single(AzureMonitorParser.Parse(fired));
        var b = Assert.Single(AzureMonitorParser.Parse(resolved));

        Assert.Equal(EventTypes.Alert, a.EventType);
        Assert.Equal("2019-03-22T13:58:24.3713213Z", a.OccurredAt);
        Assert.Equal(a.EventKey, b.EventKey);
    }

    [Fact]
    public void Parse_MetricAlertActivated_AlertWithPortalLink()
    {
        var e = Assert.Single(AzureMonitorParser.Parse(PluginTestData.Sample("azure-metric-alert-activated.json")));

        Assert.Equal("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/test-RG/providers/microsoft.insights/metricAlerts/test-metricAlertRule", e.EventKey);
        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Info, e.Severity);
        Assert.Equal("test-metricAlertRule", e.Title);
        Assert.Equal("test-metricAlertRule", e.Rule);
        Assert.Equal("Alert rule description", e.Description);
        Assert.Equal("2021-11-15T09:35:12.9703687Z", e.OccurredAt);
        Assert.Equal(new EventResource(
            "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/test-RG/providers/Microsoft.Storage/storageAccounts/test-storageAccount",
            "test-storageAccount",
            "Microsoft.Storage/storageAccounts"), e.Resource);
        Assert.StartsWith("https://portal.azure.com/#resource/", e.ImageUrl);
        Assert.Equal("Transactions", e.AdditionalInfo["metric_name"]);
        Assert.Equal("100", e.AdditionalInfo["metric_value"]);
        Assert.Equal("ApiName=GetBlob", e.AdditionalInfo["dimensions"]);
        Assert.Equal("value1", e.AdditionalInfo["customKey1"]);
    }

    [Theory]
    [InlineData("Activated", "ALERT")]
    [InlineData("Resolved", "RECOVERY")]
    [InlineData("Deactivated", "RECOVERY")]
    public void Parse_MetricAlertStatus_Mapped(string status, string expected)
    {
        var payload = PluginTestData.Sample("azure-metric-alert-activated.json");
        payload["data"]!["status"] = status;

        Assert.Equal(expected, Assert.Single(AzureMonitorParser.Parse(payload)).EventType);
    }

    [Theory]
    [InlineData("0", "CRITICAL")]
    [InlineData("1", "ERROR")]
    [InlineData("2", "WARNING")]
    [InlineData("3", "INFO")]
    [InlineData("4", "INFO")]
    public void Parse_MetricAlertSeverity_Mapped(string severity, string expected)
    {
        var payload = PluginTestData.Sample("azure-metric-alert-activated.json");
        payload["data"]!["context"]!["severity"] = severity;

        Assert.Equal(expected, Assert.Single(AzureMonitorParser.Parse(payload)).Severity);
    }

    [Fact]
    public void Parse_ActivityLogAdministrative_KeyedByEventDataId()
    {
        var e = Assert.Single(AzureMonitorParser.Parse(PluginTestData.Sample("azure-activity-log-administrative.json")));

        Assert.Equal("bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb", e.EventKey);
        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Info, e.Severity);
        Assert.Equal("Microsoft.Compute/virtualMachines/restart/action Succeeded", e.Title);
        Assert.Equal("Microsoft.Compute/virtualMachines/restart/action", e.Rule);
        Assert.Equal("2021-11-16T08:27:36.1836909Z", e.OccurredAt);
        Assert.Equal("test-VM", e.Resource.Name);
        Assert.Equal("Microsoft.Compute/virtualMachines", e.Resource.ResourceType);
        Assert.Equal("11111111-1111-1111-1111-111111111111", e.Account);
        Assert.Equal("user-email@domain.com", e.AdditionalInfo["caller"]);
        Assert.Equal("value1", e.AdditionalInfo["customKey1"]);
    }

    [Theory]
    [InlineData("Critical", "CRITICAL")]
    [InlineData("Error", "ERROR")]
    [InlineData("Warning", "WARNING")]
    [InlineData("Informational", "INFO")]
    public void Parse_ActivityLogLevel_Mapped(string level, string expected)
    {
        var payload = PluginTestData.Sample("azure-activity-log-administrative.json");
        payload["data"]!["context"]!["activityLog"]!["level"] = level;

        Assert.Equal(expected, Assert.Single(AzureMonitorParser.Parse(payload)).Severity);
    }

    [Fact]
    public void Parse_ActivityLogServiceHealthResolved_RecoveryTitledByIncident()
    {
        var payload = PluginTestData.Sample("azure-activity-log-administrative.json");
        var log = payload["data"]!["context"]!["activityLog"]!;
        log["eventSource"] = "ServiceHealth";
        log["properties"] = JsonNode.Parse("""{"title": "Storage outage in West Europe", "stage": "Resolved", "communication": "Mitigated."}""");

        var e = Assert.Single(AzureMonitorParser.Parse(payload));

        Assert.Equal(EventTypes.Recovery, e.EventType);
        Assert.Equal("Storage outage in West Europe", e.Title);
        Assert.Equal("Mitigated.", e.Description);
    }

    [Fact]
    public void Parse_LogSearchWithoutSchemaId_KeyFromRuleAndInterval()
    {
        var e = Assert.Single(AzureMonitorParser.Parse(PluginTestData.Sample("azure-log-search-v1.json")));

        Assert.Equal(EventTypes.Alert, e.EventType);
        Assert.Equal(Severities.Error, e.Severity);
        Assert.Equal("test-logAlertRule-v1-numResults", e.Title);
        Assert.Equal("test-logAlertRule-v1-numResults", e.Rule);
        Assert.Equal("Alert rule description", e.Description);
        Assert.StartsWith("https://portal.azure.com#@", e.ImageUrl);
        Assert.Equal("2021-11-16T15:15:24Z", e.OccurredAt);
        Assert.Equal("test-logAnalyticsWorkspace", e.Resource.Name);
        Assert.Equal("Microsoft.OperationalInsights/workspaces", e.Resource.ResourceType);
        Assert.Equal("11111111-1111-1111-1111-111111111111", e.Account);
        Assert.Equal("Heartbeat", e.AdditionalInfo["search_query"]);
        Assert.Equal("1", e.AdditionalInfo["result_count"]);

        var nextInterval = PluginTestData.Sample("azure-log-search-v1.json");
        nextInterval["SearchIntervalStartTimeUtc"] = "2021-11-16T15:15:24Z";
        nextInterval["SearchIntervalEndtimeUtc"] = "2021-11-17T15:15:24Z";
        Assert.Equal(e.EventKey, AzureMonitorParser.Parse(PluginTestData.Sample("azure-log-search-v1.json"))[0].EventKey);
        Assert.NotEqual(e.EventKey, AzureMonitorParser.Parse(nextInterval)[0].EventKey);
    }

    [Theory]
    [InlineData("0", "CRITICAL")]
    [InlineData("2", "WARNING")]
    [InlineData("4", "INFO")]
    [InlineData("Warning", "WARNING")]
    public void Parse_LogSearchSeverity_Mapped(string severity, string expected)
    {
        var payload = PluginTestData.Sample("azure-log-search-v1.json");
        payload["Severity"] = severity;

        Assert.Equal(expected, Assert.Single(AzureMonitorParser.Parse(payload)).Severity);
    }

    [Theory]
    [InlineData("""{"schemaId": "Something/else", "data": {}}""", "got schemaId 'Something/else'")]
    [InlineData("""{"data": {}}""", "it has no schemaId")]
    [InlineData("""{"schemaId": "azureMonitorCommonAlertSchema", "data": {}}""", "needs data.essentials")]
    [InlineData("""{"schemaId": "azureMonitorCommonAlertSchema", "data": {"essentials": {}}}""", "alertId is missing")]
    [InlineData("""{"schemaId": "AzureMonitorMetricAlert", "data": {"context": {}}}""", "data.context.id is missing")]
    [InlineData("""{"schemaId": "Microsoft.Insights/activityLogs", "data": {}}""", "has no data.context.activityLog")]
    [InlineData("""[]""", "got an array")]
    public void Parse_NotUnderstood_ThrowsNamingTheSchemas(string json, string detail)
    {
        var error = Assert.Throws<PayloadException>(() => AzureMonitorParser.Parse(JsonNode.Parse(json)));

        Assert.Contains("azureMonitorCommonAlertSchema", error.Message);
        Assert.Contains("AlertRuleName", error.Message);
        Assert.Contains(detail, error.Message);
    }
}
