using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhook.Domain.Querying;

/// <summary>ISO 8601 date or date-time values as the query language accepts them; no zone means UTC.</summary>
public static partial class IsoInstant
{
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?(?:Z|z|[+-][0-9]{2}:?[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (!Shape().IsMatch(text))
        {
            return false;
        }

        var normalized = text.Replace(' ', 'T');
        // "+0900" is valid ISO 8601 but DateTimeOffset wants "+09:00".
        var zone = Regex.Match(normalized, @"[+-][0-9]{4}$");
        if (zone.Success && normalized.Length > 10)
        {
            normalized = normalized[..^2] + ":" + normalized[^2..];
        }

        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    /// <summary>The wire format of every instant the service answers with: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text, string path) =>
        TryParse(text, out var instant)
            ? instant
            : throw QueryException.Invalid(path,
                $"'{text}' is not an ISO 8601 date or date-time (e.g. 2024-02-01, 2024-02-01T10:00:00Z, 2024-02-01T10:00:00+09:00).");
}
