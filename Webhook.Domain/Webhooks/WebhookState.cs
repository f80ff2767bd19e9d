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
