using System.Text.RegularExpressions;

namespace Webhook.Api.Telemetry;

/// <summary>
/// The one place that hides the access key of a receiver URL (<c>/webhook/{webhook_id}/{access_key}/events</c>)
/// in text bound for logs and traces. Matches whatever the sender put in the key's segment, right or wrong, in any
/// letter case (routing ignores case), in a bare path or a full URL.
/// </summary>
internal static partial class AccessKeyRedaction
{
    public const string Placeholder = "{access_key}";

    /// <summary>Cheap test first: almost no log line holds a receiver path, so the regex rarely runs.</summary>
    public static bool MayHoldKey(string? text) =>
        text is not null
        && text.Contains("/webhook/", StringComparison.OrdinalIgnoreCase)
        && text.Contains("/events", StringComparison.OrdinalIgnoreCase);

    public static string Redact(string text) =>
        MayHoldKey(text) ? KeySegment().Replace(text, "${prefix}" + Placeholder + "${suffix}") : text;

    [GeneratedRegex(@"(?<prefix>/webhook/[^/?#\s]+/)[^/?#]+(?<suffix>/events)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeySegment();
}
