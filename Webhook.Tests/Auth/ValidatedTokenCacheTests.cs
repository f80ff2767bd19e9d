using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Webhook.Api.Auth;

namespace Webhook.Tests.Auth;

/// <summary>
/// The cache of tokens that passed: a hit must never let through what the real check would refuse now. Each test
/// proves a hit (or a miss) by validating the second time with parameters that refuse the token: a hit still
/// passes, a miss fails.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task APassedToken_IsRemembered_WithoutCheckingItAgain()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = TestTokens.Create();

        Assert.True((await cache.ValidateTokenAsync(token, Parameters(TestTokens.Key))).IsValid);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True((await cache.ValidateTokenAsync(token, Parameters(OtherKey()))).IsValid);
    }

    [Fact]
    public async Task AnAlteredToken_IsNeverAHit()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = TestTokens.Create();
        Assert.True((await cache.ValidateTokenAsync(token, Parameters(TestTokens.Key))).IsValid);

        var signature = token[(token.LastIndexOf('.') + 1)..];
        var altered = token[..(token.LastIndexOf('.') + 1)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        Assert.False((await cache.ValidateTokenAsync(altered, Parameters(TestTokens.Key))).IsValid);
    }

    [Fact]
    public async Task ARefusedToken_IsNotRemembered()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = TestTokens.Create(key: OtherKey());

        Assert.False((await cache.ValidateTokenAsync(token, Parameters(TestTokens.Key))).IsValid);
        Assert.False((await cache.ValidateTokenAsync(token, Parameters(TestTokens.Key))).IsValid);
    }

    [Fact]
    public async Task AHit_EndsWhenTheTokenExpires_PlusTheClockSkew()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = TestTokens.Create(lifetime: TimeSpan.FromMinutes(2));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters(TestTokens.Key))).IsValid);

        _time.Advance(TimeSpan.FromMinutes(2) + Skew - TimeSpan.FromSeconds(2));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters(OtherKey()))).IsValid);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False((await cache.ValidateTokenAsync(token, Parameters(OtherKey()))).IsValid);
    }

    [Fact]
    public async Task AHit_EndsAfterMaxReuse_EvenForALongLivedToken()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = TestTokens.Create(lifetime: TimeSpan.FromHours(8));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters(TestTokens.Key))).IsValid);

        _time.Advance(ValidatedTokenCache.MaxReuse + TimeSpan.FromSeconds(1));

        Assert.False((await cache.ValidateTokenAsync(token, Parameters(OtherKey()))).IsValid);
    }

    [Fact]
    public async Task BeyondCapacity_ItStartsOver_AndStillAnswersRight()
    {
        var cache = new ValidatedTokenCache(_time);
        var first = TestTokens.Create(subject: "first");
        Assert.True((await cache.ValidateTokenAsync(first, Parameters(TestTokens.Key))).IsValid);
        for (var i = 0; i < ValidatedTokenCache.Capacity; i++)
        {
            Assert.True((await cache.ValidateTokenAsync(TestTokens.Create(subject: $"user-{i}"), Parameters(TestTokens.Key))).IsValid);
        }

        Assert.False((await cache.ValidateTokenAsync(first, Parameters(OtherKey()))).IsValid);
        Assert.True((await cache.ValidateTokenAsync(first, Parameters(TestTokens.Key))).IsValid);
    }

    private static byte[] OtherKey() => RandomNumberGenerator.GetBytes(32);

    private static TokenValidationParameters Parameters(byte[] key) => new()
    {
        ValidIssuer = TestTokens.Issuer,
        ValidAudience = TestTokens.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(key),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = Skew,
    };
}
