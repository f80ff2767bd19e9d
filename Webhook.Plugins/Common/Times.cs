using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhook.Plugins.Common;

/// <summary>
/// Converts sender timestamps to ISO 8601 UTC text. ISO input keeps its fraction digit for digit
/// (offsets are whole minutes, so converting never touches the fraction), which DateTimeOffset
/// alone could not do for Alertmanager's nanoseconds.
/// </summary>
internal static partial class Times
{
    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})(?:[Tt ](?<hm>\d{2}:\d{2})(?::(?<s>\d{2}))?(?:[.,](?<frac>\d+))?)?\s*(?<zone>[Zz]|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$")]
    private static partial Regex IsoPattern();

    /// <summary>Strict ISO 8601 (date, or date and time, optional fraction and offset; no offset means UTC).</summary>
    public static bool TryIsoToUtc(string? text, out string utc)
    {
        utc = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = IsoPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var time = match.Groups["hm"].Success ? match.Groups["hm"].Value : "00:00";
        var seconds = match.Groups["s"].Success ? match.Groups["s"].Value : "00";
        var offset = NormalizeOffset(match.Groups["zone"].Value);
        if (!DateTimeOffset.TryParseExact(
                $"{match.Groups["date"].Value}T{time}:{seconds}{offset}",
                "yyyy-MM-dd'T'HH:mm:sszzz",
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out var parsed))
        {
            return false;
        }

        var fraction = match.Groups["frac"].Success ? "." + match.Groups["frac"].Value : "";
        utc = parsed.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + "Z";
        return true;
    }

    /// <summary>ISO 8601 first, then other common forms (RFC 1123 as in AWS Health, US dates as in old Azure log alerts).</summary>
    public static string? ToUtc(string? text)
    {
        if (TryIsoToUtc(text, out var utc))
        {
            return utc;
        }

        if (!string.IsNullOrWhiteSpace(text)
            && DateTimeOffset.TryParse(
                text.Trim(),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
                out var parsed))
        {
            return Format(parsed);
        }

        return null;
    }

    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "Z";

    private static string NormalizeOffset(string zone)
    {
        if (zone is "" or "Z" or "z" or "UTC" or "GMT")
        {
            return "+00:00";
        }

        var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
        var minutes = digits.Length == 4 ? digits[2..] : "00";
        return $"{zone[0]}{digits[..2]}:{minutes}";
    }
}
