using System.Buffers.Text;

namespace Webhook.Api.Auth;

/// <summary>
/// How bearer tokens are validated: an OpenID Connect issuer (<see cref="Authority"/>, discovery + JWKS) or a
/// shared HS256 key (<see cref="SigningKey"/> with <see cref="Issuer"/>). The service issues no tokens.
/// </summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public const int MinimumKeyBytes = 32;

    public string? Authority { get; set; }

    /// <summary>false allows an http (loopback) issuer, for tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Standard base64; the HS256 key is the decoded bytes, never the text.</summary>
    public string? SigningKey { get; set; }

    public string? Issuer { get; set; }

    public string Audience { get; set; } = "webhook-api";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);

    public byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey!.Trim());

    /// <summary>
    /// Why the service must not start with these settings (one line, names the setting), or null. Without any
    /// setting only Development may start, and then every management call is 401.
    /// </summary>
    public string? Refusal(bool isDevelopment)
    {
        if (!string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(SigningKey))
        {
            return "Auth: set Auth:Authority or Auth:SigningKey, not both.";
        }

        if (!string.IsNullOrWhiteSpace(Authority))
        {
            return Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                ? null
                : "Auth: Auth:Authority must be an absolute http(s) URL of an OpenID Connect issuer.";
        }

        if (!string.IsNullOrWhiteSpace(SigningKey))
        {
            if (!Base64.IsValid(SigningKey.Trim()))
            {
                return "Auth: Auth:SigningKey must be standard base64 (the key is the decoded bytes).";
            }

            if (SigningKeyBytes().Length < MinimumKeyBytes)
            {
                return $"Auth: Auth:SigningKey must decode to at least {MinimumKeyBytes} bytes.";
            }

            return string.IsNullOrWhiteSpace(Issuer) ? "Auth: Auth:SigningKey needs Auth:Issuer." : null;
        }

        return isDevelopment
            ? null
            : "Auth: no Auth:Authority or Auth:SigningKey is set; refusing to start outside Development without authentication.";
    }
}
