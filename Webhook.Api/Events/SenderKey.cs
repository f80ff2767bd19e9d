using System.Net.Http.Headers;
using System.Text;

namespace Webhook.Api.Events;

/// <summary>
/// The access key a sender put in <c>Authorization</c>: <c>Bearer &lt;key&gt;</c>, or HTTP Basic whose password is the
/// key (any user name). Anything else is an empty key, which the writer denies like a wrong one.
/// </summary>
internal static class SenderKey
{
    public static string From(string? authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header) || header.Parameter is not { } value)
        {
            return "";
        }

        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return value.Trim();
        }

        if (!header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return "";
        }

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? "" : credentials[(colon + 1)..];
        }
        catch (FormatException)
        {
            return "";
        }
    }
}
