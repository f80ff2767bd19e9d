namespace Webhook.Api.Auth;

/// <summary>The values of the token's <c>scope</c> claim (DESIGN.md "Who may call"); each is also a policy name.</summary>
internal static class Scopes
{
    public const string WebhookRead = "webhook:read";
    public const string WebhookWrite = "webhook:write";
    public const string EventRead = "event:read";
    public const string AuditRead = "audit:read";

    /// <summary>A service account (a console backend): may name any domain, and its token may carry none.</summary>
    public const string System = "system";

    public static readonly string[] Policies = [WebhookRead, WebhookWrite, EventRead, AuditRead];
}
