using System.ComponentModel.DataAnnotations;

namespace Webhook.Infrastructure;

public sealed class WebhookOptions
{
    public const string SectionName = "Webhook";

    /// <summary>Base of every webhook_url; empty means the scheme and host of the create request.</summary>
    public string PublicBaseUrl { get; set; } = "";

    public bool ApplyMigrationsOnStart { get; set; } = true;

    [Range(1, 100 * 1024 * 1024)]
    public int MaxEventBodyBytes { get; set; } = 5 * 1024 * 1024;

    [Range(0.05, 300)]
    public double PluginTimeoutSeconds { get; set; } = 10;

    [Range(0, 10)]
    public int PluginRetries { get; set; } = 2;
}
