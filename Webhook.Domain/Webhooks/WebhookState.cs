namespace Webhook.Domain.Webhooks;

public enum WebhookState
{
    ENABLED,
    DISABLED,
}

public enum UpgradeMode
{
    AUTO,
    MANUAL,
}

/// <summary>OK until an enabled webhook hears nothing for its heartbeat interval; SILENT from then until it hears again.</summary>
public enum HeartbeatState
{
    OK,
    SILENT,
}
