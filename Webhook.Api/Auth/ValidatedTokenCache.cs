using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Webhook.Api.Auth;

/// <summary>
/// A web console sends the same bearer token with every call for as long as it lives, and checking its signature
/// and claims again each time was ~11 % of a get's API CPU. This handler remembers a token that passed, by its exact
/// text, until the token expires (or for <see cref="MaxReuse"/>, whichever comes first); anything else, and every
/// token that fails, goes to the real handler. A forged or altered token is different text, so it is never a hit.
/// </summary>
internal sealed class ValidatedTokenCache(TimeProvider time) : JsonWebTokenHandler
{
    /// <summary>Kept short, so a signing key the Authority rotated out stops being trusted within this time.</summary>
    public static readonly TimeSpan MaxReuse = TimeSpan.FromMinutes(5);

    /// <summary>Beyond this many live tokens the cache starts over: it only ever saves work, never decides.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Until)> _passed = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_passed.TryGetValue(token, out var hit))
        {
            if (hit.Until > now)
            {
                return hit.Result;
            }

            _passed.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var validTo } && validTo != DateTime.MinValue)
        {
            // The lifetime check already allowed the clock skew; a hit must not outlive what a fresh check would allow.
            var expires = new DateTimeOffset(validTo, TimeSpan.Zero) + validationParameters.ClockSkew;
            var until = expires < now + MaxReuse ? expires : now + MaxReuse;
            if (_passed.Count >= Capacity)
            {
                _passed.Clear();
            }

            _passed[token] = (result, until);
        }

        return result;
    }
}
