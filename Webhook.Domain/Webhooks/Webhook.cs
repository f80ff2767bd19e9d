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
        };
    }

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

    public void Enable() => State = WebhookState.ENABLED;

    public void Disable() => State = WebhookState.DISABLED;

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
