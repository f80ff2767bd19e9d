using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhook.Domain.Querying;

public enum TimeAnchor { Now, Day, Week, Month }

/// <summary>
/// A timediff_* value: <c>now</c>, <c>now/d</c>, <c>now/w</c> or <c>now/m</c>, then optionally <c>+</c>/<c>-</c> N and a unit (s, m, h, d, w).
/// </summary>
public sealed partial record TimeDiff(TimeAnchor Anchor, TimeSpan Offset, string Text)
{
    // Far enough for any real query, small enough that resolving never overflows DateTimeOffset.
    private static readonly TimeSpan MaxOffset = TimeSpan.FromDays(365.25 * 5000);

    [GeneratedRegex(@"^\s*now\s*(?:/\s*(?<anchor>[dwm]))?\s*(?:(?<sign>[+-])\s*(?<n>[0-9]{1,12})\s*(?<unit>[smhdw]))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static TimeDiff Parse(string text, string path)
    {
        var match = Grammar().Match(text);
        if (!match.Success)
        {
            throw QueryException.Invalid(path,
                $"'{text}' is not a valid timediff: use now, now/d, now/w or now/m, optionally followed by +/- N and a unit s, m, h, d or w (e.g. now-1d).");
        }

        var anchor = match.Groups["anchor"].Value switch
        {
            "d" => TimeAnchor.Day,
            "w" => TimeAnchor.Week,
            "m" => TimeAnchor.Month,
            "" => TimeAnchor.Now,
            _ => throw new UnreachableException(),
        };

        var offset = TimeSpan.Zero;
        if (match.Groups["n"].Success)
        {
            var n = long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            var seconds = match.Groups["unit"].Value switch
            {
                "s" => 1.0,
                "m" => 60.0,
                "h" => 3600.0,
                "d" => 86400.0,
                "w" => 604800.0,
                _ => throw new UnreachableException(),
            };
            var total = n * seconds;
            if (total > MaxOffset.TotalSeconds)
            {
                throw QueryException.Invalid(path, $"timediff '{text}' reaches too far from now.");
            }

            offset = TimeSpan.FromSeconds(match.Groups["sign"].Value == "-" ? -total : total);
        }

        return new TimeDiff(anchor, offset, text);
    }

    /// <summary>The instant this expression names at <paramref name="now"/>, in UTC.</summary>
    public DateTimeOffset Resolve(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var start = Anchor switch
        {
            TimeAnchor.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            TimeAnchor.Week => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero)
                .AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            TimeAnchor.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            TimeAnchor.Now => utc,
            _ => throw new UnreachableException(),
        };
        return start + Offset;
    }
}
