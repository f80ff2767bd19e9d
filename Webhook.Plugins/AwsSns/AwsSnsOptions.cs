using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Webhook.Plugins.AwsSns;

/// <summary>
/// Host configuration (not per-webhook options) for the two URLs an SNS message makes us fetch:
/// its SubscribeURL (to confirm) and its SigningCertURL (to verify the signature).
/// </summary>
internal sealed class AwsSnsOptions : IValidatableObject
{
    public const string SectionName = "PluginHost:AwsSns";

    /// <summary>Only real SNS endpoints: anything else in a message's URL would make us a request forwarder.</summary>
    public const string DefaultAllowedHost = @"^sns\.[a-z0-9-]+\.amazonaws\.com$";

    /// <summary>Set false to never fetch SubscribeURL (the event then says to confirm by hand).</summary>
    public bool ConfirmSubscriptions { get; set; } = true;

    /// <summary>Regex patterns matched against the SubscribeURL and SigningCertURL host; unset means <see cref="DefaultAllowedHost"/>.</summary>
    public string[]? AllowedHosts { get; set; }

    /// <summary>Allows http:// URLs; for tests against a loopback server only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Time limit of one fetch (a confirmation or a signing certificate).</summary>
    [Range(0.05, 60)]
    public double FetchTimeoutSeconds { get; set; } = 5;

    /// <summary>A signing certificate is a couple of KB of PEM; anything much larger is not one.</summary>
    [Range(1024, 1048576)]
    public int MaxCertificateBytes { get; set; } = 65536;

    public IReadOnlyList<string> EffectiveAllowedHosts =>
        AllowedHosts is { Length: > 0 } hosts ? hosts : [DefaultAllowedHost];

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
                yield return new ValidationResult($"{SectionName}:AllowedHosts has an invalid pattern '{pattern}': {error}");
            }
        }
    }
}
