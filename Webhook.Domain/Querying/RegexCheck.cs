using System.Text.RegularExpressions;

namespace Webhook.Domain.Querying;

/// <summary>
/// Pre-checks a regex value. The database evaluates it as a PostgreSQL ARE, so besides .NET's syntax check this
/// rejects constructs .NET accepts but ARE does not (named groups, atomic groups, conditionals, \p{..}, inline
/// option groups). ARE lookahead and lookbehind are supported by PostgreSQL 15 and therefore allowed.
/// The translator keeps a second line of defence: a pattern PostgreSQL still rejects becomes the same 400.
/// </summary>
public static partial class RegexCheck
{
    [GeneratedRegex(@"\(\?(?:<[A-Za-z_]|'|P<|P=|P>|>|\(|[imnsx-]+[:)])|\\[pPkGzKQE]", RegexOptions.CultureInvariant)]
    private static partial Regex Unsupported();

    public static void Validate(string pattern, string path)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw QueryException.Invalid(path, $"'{pattern}' is not a valid regular expression: {ex.Message}");
        }

        // An ARE may start with embedded options "(?i)"; anywhere else PostgreSQL rejects them.
        var body = Regex.Replace(pattern, @"^\(\?[bceimnpqstwx]+\)", string.Empty);
        var unsupported = Unsupported().Match(StripEscapedBackslashes(body));
        if (unsupported.Success)
        {
            throw QueryException.Invalid(path,
                $"'{pattern}' uses '{unsupported.Value}', which PostgreSQL regular expressions do not support.");
        }
    }

    // "\\p" is a literal backslash followed by p, not the \p escape.
    private static string StripEscapedBackslashes(string pattern) => pattern.Replace(@"\\", "__", StringComparison.Ordinal);
}
