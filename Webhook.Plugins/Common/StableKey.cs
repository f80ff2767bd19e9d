using System.Security.Cryptography;
using System.Text;

namespace Webhook.Plugins.Common;

/// <summary>Deterministic event keys, so a retried payload yields the same keys.</summary>
internal static class StableKey
{
    public static string Hash(int hexLength, params IEnumerable<string?> parts)
    {
        // The unit separator cannot appear in normal text, so ("a","bc") and ("ab","c") differ.
        var joined = string.Join('\u001f', parts.Select(p => p ?? ""));
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
        return hex[..Math.Min(hexLength, hex.Length)];
    }
}
