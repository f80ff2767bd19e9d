using Webhook.Domain.Webhooks;

namespace Webhook.Tests.Domain;

public sealed class WebhookTests
{
    private static readonly JsonElement Options = JsonSerializer.SerializeToElement(new { token = "a" });
    private static readonly JsonElement Metadata = JsonSerializer.SerializeToElement(new { init = 1 });
    private static readonly JsonElement Tags = JsonSerializer.SerializeToElement(new { env = "prod" });
    private static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

    private static Webhook.Domain.Webhooks.Webhook Create(string baseUrl = "https://hooks.example.test/") =>
        Webhook.Domain.Webhooks.Webhook.Create(
            "webhook-abc",
            "0123abcd",
            "alerts",
            "project-1",
            "domain-1",
            Tags,
            new PluginBinding("prometheus", "1.0.0", Options, Metadata, UpgradeMode.AUTO),
            JsonSerializer.SerializeToElement(new { }),
            baseUrl,
            Now.AddTicks(9999));

    [Fact]
    public void Create_StartsEnabled_WithThePluginBindingAndMillisecondTime()
    {
        var webhook = Create();

        Assert.Equal(WebhookState.ENABLED, webhook.State);
        Assert.Equal(new PluginBinding("prometheus", "1.0.0", Options, Metadata, UpgradeMode.AUTO), webhook.Plugin);
        Assert.Equal(Now, webhook.CreatedAt);
        Assert.Equal("env", webhook.Tags.EnumerateObject().Single().Name);
    }

    [Theory]
    [InlineData("https://hooks.example.test/")]
    [InlineData("https://hooks.example.test")]
    public void Create_BuildsTheSecretUrlFromTheBaseWithOneSlash(string baseUrl)
    {
        var webhook = Create(baseUrl);

        Assert.Equal("https://hooks.example.test/monitoring/v1/webhook/webhook-abc/0123abcd/events", webhook.WebhookUrl);
    }

    [Fact]
    public void Rename_AndReplaceTags_ChangeOnlyThoseFields()
    {
        var webhook = Create();
        var newTags = JsonSerializer.SerializeToElement(new { team = "ops" });

        webhook.Rename("renamed");
        webhook.ReplaceTags(newTags);

        Assert.Equal("renamed", webhook.Name);
        Assert.Equal("ops", webhook.Tags.GetProperty("team").GetString());
        Assert.Equal("webhook-abc", webhook.WebhookId);
    }

    [Fact]
    public void Disable_ThenEnable_FlipsTheState()
    {
        var webhook = Create();

        webhook.Disable();
        var disabled = webhook.State;
        webhook.Enable(DateTimeOffset.UnixEpoch.AddDays(1));

        Assert.Equal(WebhookState.DISABLED, disabled);
        Assert.Equal(WebhookState.ENABLED, webhook.State);
    }

    [Fact]
    public void Enable_RestartsTheSilenceClock_OnlyWhenItWasDisabled()
    {
        var webhook = Create();
        var created = webhook.EnabledAt;

        webhook.Enable(created.AddHours(1));
        var stillEnabled = webhook.EnabledAt;
        webhook.Disable();
        webhook.Enable(created.AddHours(2));

        Assert.Equal(created, stillEnabled);
        Assert.Equal(created.AddHours(2), webhook.EnabledAt);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(86_400, true)]
    [InlineData(9, false)]
    [InlineData(86_401, false)]
    [InlineData(-1, false)]
    public void IsHeartbeatInterval_ZeroOrTenSecondsToADay(int seconds, bool valid)
    {
        Assert.Equal(valid, Webhook.Domain.Webhooks.Webhook.IsHeartbeatInterval(seconds));
    }

    [Fact]
    public void SetHeartbeat_OutOfRange_Throws()
    {
        var webhook = Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => webhook.SetHeartbeat(5, DateTimeOffset.UnixEpoch));
        Assert.Equal(0, webhook.HeartbeatIntervalSeconds);
    }

    [Fact]
    public void Disable_EndsASilenceQuietly()
    {
        var webhook = Create();
        webhook.SetHeartbeat(60, Now);
        Silence(webhook);

        webhook.Disable();

        Assert.Equal(HeartbeatState.OK, webhook.HeartbeatState);
        Assert.Equal(60, webhook.HeartbeatIntervalSeconds);
    }

    [Fact]
    public void SetHeartbeat_NewInterval_KeepsASilence_ButOffEndsIt()
    {
        var webhook = Create();
        webhook.SetHeartbeat(60, Now);
        Silence(webhook);

        webhook.SetHeartbeat(120, Now.AddMinutes(1));
        var afterNewInterval = webhook.HeartbeatState;
        webhook.SetHeartbeat(0, Now.AddMinutes(2));

        Assert.Equal(HeartbeatState.SILENT, afterNewInterval);
        Assert.Equal(HeartbeatState.OK, webhook.HeartbeatState);
        Assert.Equal(Now.AddMinutes(2), webhook.HeartbeatSetAt);
    }

    /// <summary>Only the heartbeat job's SQL makes a webhook SILENT; a test sets the stored state the same way EF reads it.</summary>
    private static void Silence(Webhook.Domain.Webhooks.Webhook webhook) =>
        typeof(Webhook.Domain.Webhooks.Webhook).GetProperty(nameof(webhook.HeartbeatState))!.SetValue(webhook, HeartbeatState.SILENT);

    [Fact]
    public void BindPlugin_ReplacesVersionOptionsMetadataAndMode_ButNeverThePlugin()
    {
        var webhook = Create();
        var options = JsonSerializer.SerializeToElement(new { token = "b" });
        var metadata = JsonSerializer.SerializeToElement(new { init = 2 });

        webhook.BindPlugin(new PluginBinding("grafana", "2.0.0", options, metadata, UpgradeMode.MANUAL));

        Assert.Equal(new PluginBinding("prometheus", "2.0.0", options, metadata, UpgradeMode.MANUAL), webhook.Plugin);
    }
}
