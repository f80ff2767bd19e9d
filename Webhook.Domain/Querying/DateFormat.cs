namespace Webhook.Domain.Querying;

public enum DateFormatKind { Year, Month, Day, Pattern }

/// <summary>One piece of a strftime-style pattern: literal text, or a directive letter (<c>Y</c> for <c>%Y</c>).</summary>
public sealed record DateFormatPart(string? Literal, char Directive);

/// <summary>
/// A group key's <c>date_format</c>: <c>year</c>/<c>month</c>/<c>day</c> (integers) or a strftime-style pattern, in UTC.
/// </summary>
public sealed record DateFormat(DateFormatKind Kind, string Pattern, IReadOnlyList<DateFormatPart> Parts)
{
    /// <summary>The directives a pattern may use (strftime letters).</summary>
    public const string SupportedDirectives = "YymdHMSjbBaAp";

    public static DateFormat Parse(string text, string path)
    {
        switch (text)
        {
            case "year": return new DateFormat(DateFormatKind.Year, text, []);
            case "month": return new DateFormat(DateFormatKind.Month, text, []);
            case "day": return new DateFormat(DateFormatKind.Day, text, []);
        }

        var parts = new List<DateFormatPart>();
        var literal = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                literal.Append(text[i]);
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw QueryException.Invalid(path, $"date_format '{text}' ends with a lone '%'.");
            }

            var directive = text[++i];
            if (directive == '%')
            {
                literal.Append('%');
                continue;
            }

            if (!SupportedDirectives.Contains(directive, StringComparison.Ordinal))
            {
                throw QueryException.Invalid(path,
                    $"date_format '{text}' uses '%{directive}', which is not supported (use year, month, day or %Y %y %m %d %H %M %S %j %b %B %a %A %p).");
            }

            if (literal.Length > 0)
            {
                parts.Add(new DateFormatPart(literal.ToString(), '\0'));
                literal.Clear();
            }

            parts.Add(new DateFormatPart(null, directive));
        }

        if (literal.Length > 0)
        {
            parts.Add(new DateFormatPart(literal.ToString(), '\0'));
        }

        if (parts.Count == 0)
        {
            throw QueryException.Invalid(path, "date_format must not be empty.");
        }

        return new DateFormat(DateFormatKind.Pattern, text, parts);
    }
}
