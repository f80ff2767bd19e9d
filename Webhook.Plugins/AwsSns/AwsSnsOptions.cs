using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Webhook.Plugins.AwsSns;

/// <summary>Host configuration (not per-webhook options) for confirming SNS subscriptions.</summary>
internal sealed class AwsSnsOptions : IValidatableObject
{
    public const string SectionName = "PluginHost:AwsSns";

    /// <summary>Only real SNS endpoints: anything else in a SubscribeURL would make us a request forwarder.</summary>
    public const string DefaultAllowedHost = @"^sns\.[a-z0-9-]+\.amazonaws\.com$";

    /// <summary>Set false to never fetch SubscribeURL (the event then says to confirm by hand).</summary>
    public bool ConfirmSubscriptions { get; set; } = true;

    /// <summary>Regex patterns matched against the SubscribeURL host; unset means <see cref="DefaultAllowedHost"/>.</summary>
    public string[]? AllowedSubscribeHosts { get; set; }

    /// <summary>Allows http:// SubscribeURLs; for tests against a loopback server only.</summary>
    public bool AllowHttp { get; set; }

    [Range(0.05, 60)]
    public double ConfirmTimeoutSeconds { get; set; } = 5;

    public IReadOnlyList<string> EffectiveAllowedHosts =>
        AllowedSubscribeHosts is { Length: > 0 } hosts ? hosts : [DefaultAllowedHost];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var pattern in EffectiveAllowedHosts)
        {
            string? error = null;
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                error = e.Message;
            }

            if (error is not null)
            {
                yield return new ValidationResult($"{SectionName}:AllowedSubscribeHosts has an invalid pattern '{pattern}': {error}");
            }
        }
    }
}
