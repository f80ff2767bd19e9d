using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Webhook.Tests.Fixtures;

/// <summary>
/// Bearer tokens for the API under test, signed with the HS256 key the fixture configures (Auth:SigningKey), or
/// with any other key to test refusals.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "webhook-tests";
    public const string Audience = "webhook-api";

    public static readonly string[] AllScopes = ["webhook:read", "webhook:write", "event:read", "audit:read", "system"];

    /// <summary>Fixed per test run; the tests' tokens are signed with it.</summary>
    public static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string SigningKeySetting => Convert.ToBase64String(Key);

    /// <summary>
    /// A token; <paramref name="projects"/> null leaves the claim out (all projects). <paramref name="extra"/> sets
    /// or overrides claims (iss, aud, exp as DateTime, ...).
    /// </summary>
    public static string Create(
        string? domainId = null,
        IEnumerable<string>? scopes = null,
        IEnumerable<string>? projects = null,
        string subject = "test-user",
        TimeSpan? lifetime = null,
        byte[]? key = null,
        string issuer = Issuer,
        string audience = Audience,
        DateTime? expires = null,
        SigningCredentials? credentials = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["scope"] = string.Join(' ', scopes ?? AllScopes),
        };
        if (domainId is not null)
        {
            claims["domain_id"] = domainId;
        }

        if (projects is not null)
        {
            claims["projects"] = projects.ToArray();
        }

        var now = DateTime.UtcNow;
        var end = expires ?? now + (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = end < now ? end.AddHours(-1) : now,
            NotBefore = end < now ? end.AddHours(-1) : now,
            Expires = end,
            SigningCredentials = credentials
                ?? new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The fixture's default: a console backend's service account with every scope and no domain.</summary>
    public static string System() => Create();

    /// <summary>A project member or domain user of <paramref name="domainId"/>: the four scopes other than system.</summary>
    public static string User(string domainId, IEnumerable<string>? projects = null, params string[] scopes) =>
        Create(domainId, scopes.Length > 0 ? scopes : AllScopes.Where(s => s != "system"), projects);

    public static HttpClient Authorized(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
