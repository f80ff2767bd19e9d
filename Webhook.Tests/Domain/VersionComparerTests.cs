using Webhook.Domain.Plugins;

namespace Webhook.Tests.Domain;

public sealed class VersionComparerTests
{
    [Theory]
    [InlineData("1.10.0", "1.9.2")]
    [InlineData("2.0.0", "1.99.99")]
    [InlineData("10.0", "9.0")]
    [InlineData("1.2.1", "1.2")]
    [InlineData("1.b", "1.a")]
    [InlineData("1.0.0", "")]
    public void Compare_OrdersTheFirstAfterTheSecond(string newer, string older)
    {
        Assert.True(VersionComparer.Instance.Compare(newer, older) > 0);
        Assert.True(VersionComparer.Instance.Compare(older, newer) < 0);
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.02", "1.2")]
    [InlineData("", null)]
    [InlineData("v1", "v1")]
    public void Compare_TreatsEquivalentVersionsAsEqual(string? left, string? right)
    {
        Assert.Equal(0, VersionComparer.Instance.Compare(left, right));
    }

    [Fact]
    public void Compare_SortsARegistryNewestFirst()
    {
        string[] versions = ["1.9.2", "1.10.0", "1.2", "2.0.0", "1.10.1"];

        var sorted = versions.OrderByDescending(v => v, VersionComparer.Instance);

        Assert.Equal(["2.0.0", "1.10.1", "1.10.0", "1.9.2", "1.2"], sorted);
    }
}
