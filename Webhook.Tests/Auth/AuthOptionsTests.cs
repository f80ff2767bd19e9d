using System.Security.Cryptography;
using Webhook.Api.Auth;

namespace Webhook.Tests.Auth;

public sealed class AuthOptionsTests
{
    private static readonly string Key32 = Convert.ToBase64String(new byte[32]);

    [Theory]
    [InlineData(null, null, null, false, "no Auth:Authority or Auth:SigningKey")]
    [InlineData(null, null, null, true, null)]
    [InlineData("https://id.example.com/realms/x", null, null, false, null)]
    [InlineData("id.example.com", null, null, false, "absolute http(s) URL")]
    [InlineData(null, "K32", "webhook-dev", false, null)]
    [InlineData(null, "K32", null, true, "needs Auth:Issuer")]
    [InlineData(null, "c2hvcnQ=", "webhook-dev", true, "at least 32 bytes")]
    [InlineData(null, "not base64!", "webhook-dev", true, "standard base64")]
    [InlineData("https://id.example.com", "K32", "webhook-dev", true, "not both")]
    public void Refusal_NamesTheSettingInOneLine(string? authority, string? key, string? issuer, bool development, string? expected)
    {
        var options = new AuthOptions { Authority = authority, SigningKey = key == "K32" ? Key32 : key, Issuer = issuer };

        var refusal = options.Refusal(development);

        if (expected is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Contains(expected, refusal);
            Assert.DoesNotContain('\n', refusal!);
        }
    }

    [Fact]
    public void SigningKey_IsTheDecodedBytes_NotTheText()
    {
        var bytes = RandomNumberGenerator.GetBytes(48);

        var options = new AuthOptions { SigningKey = Convert.ToBase64String(bytes), Issuer = "i" };

        Assert.Equal(bytes, options.SigningKeyBytes());
    }
}
