using Webhook.Domain.Common;

namespace Webhook.Domain.Webhooks;

/// <summary>
/// One connection from an outside sender to a project: a plugin that understands the sender's
/// payloads and a secret URL the sender posts to.
/// </summary>
public sealed class Webhook
{
    public const int MaxNameLength = 255;

    /// <summary>
    /// Only an enabled webhook accepts events (a disabled one's URL answers ERROR_WEBHOOK_STATE_DISABLED). The ingest
    /// writer applies the rule inside its batch SQL, so the rule is this stored spelling of the state, named once.
    /// </summary>
    public const string StateAcceptingEvents = nameof(WebhookState.ENABLED);

    /// <summary>Shortest heartbeat interval: a sender is not expected to post more often than this.</summary>
    public const int MinHeartbeatSeconds = 10;

    /// <summary>Longest heartbeat interval (a day): a daily job's webhook can still be watched.</summary>
    public const int MaxHeartbeatSeconds = 86_400;

    private Webhook()
    {
    }

    /// <summary>Database identity; orders webhooks by creation.</summary>
    public long Id { get; private set; }
    public string WebhookId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public WebhookState State { get; private set; }
    public string AccessKey { get; private set; } = "";

    /// <summary>The key before the last rotation, accepted until <see cref="PreviousKeyExpiresAt"/>; null: none.</summary>
    public string? PreviousAccessKey { get; private set; }
    public DateTimeOffset? PreviousKeyExpiresAt { get; private set; }
    public string WebhookUrl { get; private set; } = "";
    public JsonElement Capability { get; private set; }
    public string PluginId { get; private set; } = "";
    public string PluginVersion { get; private set; } = "";
    public JsonElement PluginOptions { get; private set; }
    public JsonElement PluginMetadata { get; private set; }
    public UpgradeMode UpgradeMode { get; private set; }
    public JsonElement Tags { get; private set; }
    public long RequestsTotal { get; private set; }
    public long RequestsError { get; private set; }
    public string ProjectId { get; private set; } = "";
    public string DomainId { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>0: no heartbeat. Otherwise silence for this long raises an ALERT.</summary>
    public int HeartbeatIntervalSeconds { get; private set; }
    public HeartbeatState HeartbeatState { get; private set; }

    /// <summary>When the heartbeat was last set; with <see cref="LastRequestAt"/> and <see cref="EnabledAt"/> it starts the silence clock.</summary>
    public DateTimeOffset? HeartbeatSetAt { get; private set; }

    /// <summary>When the latest accepted request was received (the ingest writer keeps it).</summary>
    public DateTimeOffset? LastRequestAt { get; private set; }

    /// <summary>When the webhook was last enabled (its creation, at first).</summary>
    public DateTimeOffset EnabledAt { get; private set; }

    public static Webhook Create(
        string webhookId,
        string accessKey,
        string name,
        string projectId,
        string domainId,
        JsonElement tags,
        PluginBinding plugin,
        JsonElement capability,
        string publicBaseUrl,
        DateTimeOffset now)
    {
        return new Webhook
        {
            WebhookId = webhookId,
            AccessKey = accessKey,
            Name = name,
            ProjectId = projectId,
            DomainId = domainId,
            Tags = tags,
            State = WebhookState.ENABLED,
            Capability = capability,
            PluginId = plugin.PluginId,
            PluginVersion = plugin.Version,
            PluginOptions = plugin.Options,
            PluginMetadata = plugin.Metadata,
            UpgradeMode = plugin.UpgradeMode,
            WebhookUrl = UrlFor(publicBaseUrl, webhookId, accessKey),
            // PostgreSQL keeps microseconds but the wire format shows milliseconds: store what we show.
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
            EnabledAt = now,
            HeartbeatState = HeartbeatState.OK,
        };
    }

    public static bool IsHeartbeatInterval(int seconds) =>
        seconds == 0 || seconds is >= MinHeartbeatSeconds and <= MaxHeartbeatSeconds;

    private static string UrlFor(string publicBaseUrl, string webhookId, string accessKey) =>
        $"{publicBaseUrl.TrimEnd('/')}/monitoring/v1/webhook/{webhookId}/{accessKey}/events";

    public PluginBinding Plugin => new(PluginId, PluginVersion, PluginOptions, PluginMetadata, UpgradeMode);

    /// <summary>Rotation's most a previous key may keep working: a week.</summary>
    public static readonly TimeSpan MaxKeyGrace = TimeSpan.FromDays(7);

    /// <summary>
    /// A new key (and URL on the same base); the current one keeps working for <paramref name="grace"/> (zero: stops
    /// at once). Only one previous key is kept: the one before it stops now.
    /// </summary>
    public void RotateAccessKey(string newKey, DateTimeOffset now, TimeSpan grace)
    {
        if (grace < TimeSpan.Zero || grace > MaxKeyGrace)
        {
            throw new DomainException(ErrorCodes.InvalidArgument, $"Must be between 0 and {(long)MaxKeyGrace.TotalSeconds}.", "grace_seconds");
        }

        var publicBase = WebhookUrl[..WebhookUrl.LastIndexOf("/monitoring/v1/webhook/", StringComparison.Ordinal)];
        PreviousAccessKey = grace > TimeSpan.Zero ? AccessKey : null;
        PreviousKeyExpiresAt = grace > TimeSpan.Zero ? now + grace : null;
        AccessKey = newKey;
        WebhookUrl = UrlFor(publicBase, WebhookId, newKey);
    }

    public void Rename(string name) => Name = name;

    public void ReplaceTags(JsonElement tags) => Tags = tags;

    /// <summary>Enabling a disabled webhook restarts its silence clock: it could not receive anything while disabled.</summary>
    public void Enable(DateTimeOffset now)
    {
        if (State != WebhookState.ENABLED)
        {
            EnabledAt = now;
        }

        State = WebhookState.ENABLED;
    }

    /// <summary>A disabled webhook raises nothing: a silence it was in ends quietly (no RECOVERY).</summary>
    public void Disable()
    {
        State = WebhookState.DISABLED;
        HeartbeatState = HeartbeatState.OK;
    }

    /// <summary>
    /// Watches the webhook for silence longer than <paramref name="intervalSeconds"/> (0 stops watching, which ends a
    /// silence quietly, as disabling does). A new interval on a SILENT webhook keeps it SILENT: its ALERT stays open
    /// until a request brings the RECOVERY.
    /// </summary>
    public void SetHeartbeat(int intervalSeconds, DateTimeOffset now)
    {
        if (!IsHeartbeatInterval(intervalSeconds))
        {
            throw new ArgumentOutOfRangeException(
                nameof(intervalSeconds), intervalSeconds, $"0 or {MinHeartbeatSeconds}..{MaxHeartbeatSeconds}");
        }

        HeartbeatIntervalSeconds = intervalSeconds;
        HeartbeatSetAt = now;
        if (intervalSeconds == 0)
        {
            HeartbeatState = HeartbeatState.OK;
        }
    }

    public void BindPlugin(PluginBinding plugin)
    {
        PluginVersion = plugin.Version;
        PluginOptions = plugin.Options;
        PluginMetadata = plugin.Metadata;
        UpgradeMode = plugin.UpgradeMode;
    }
}

/// <summary>Which plugin version a webhook uses, with what options, and what init said about it.</summary>
public sealed record PluginBinding(
    string PluginId,
    string Version,
    JsonElement Options,
    JsonElement Metadata,
    UpgradeMode UpgradeMode);
