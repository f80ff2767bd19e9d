using System.Text.RegularExpressions;

namespace Webhook.Plugins.AwsSns;

/// <summary>The one rule for every URL an SNS message asks us to fetch: https, on an allow-listed host.</summary>
internal static class SnsUrlPolicy
{
    /// <summary>Why <paramref name="url"/> (the message's <paramref name="field"/>) must not be fetched, or null when it may be.</summary>
    public static string? Refusal(string? url, string field, AwsSnsOptions settings)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return $"the message has no {field}";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"{field} is not an absolute URL";
        }

        var schemeAllowed = uri.Scheme == Uri.UriSchemeHttps || (settings.AllowHttp && uri.Scheme == Uri.UriSchemeHttp);
        if (!schemeAllowed)
        {
            return $"{field} scheme '{uri.Scheme}' is not allowed (https only)";
        }

        var hostAllowed = settings.EffectiveAllowedHosts.Any(pattern =>
            Regex.IsMatch(uri.IdnHost, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        return hostAllowed
            ? null
            : $"{field} host '{uri.IdnHost}' is not an allowed SNS host ({AwsSnsOptions.SectionName}:AllowedHosts)";
    }
}
