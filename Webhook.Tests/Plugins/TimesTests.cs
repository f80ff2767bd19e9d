using Webhook.Plugins.Common;
using Xunit;

namespace Webhook.Tests.Plugins;

public class TimesTests
{
    [Theory]
    [InlineData("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z")]
    [InlineData("2021-08-23T05:16:56.154Z", "2021-08-23T05:16:56.154Z")]
    [InlineData("2021-10-12T09:51:03.157076+02:00", "2021-10-12T07:51:03.157076Z")]
    [InlineData("2021-06-23T08:41:06.622+0000", "2021-06-23T08:41:06.622Z")]
    [InlineData("2024-01-01T00:30:00-05:30", "2024-01-01T06:00:00Z")]
    [InlineData("2024-01-01T01:00:00+09:00", "2023-12-31T16:00:00Z")]
    [InlineData("2024-03-01T12:00:00.123456789Z", "2024-03-01T12:00:00.123456789Z")]
    [InlineData("2019-03-22T13:58:24.3713213Z", "2019-03-22T13:58:24.3713213Z")]
    [InlineData("2024-01-01T10:00:00", "2024-01-01T10:00:00Z")]
    [InlineData("2024-01-01", "2024-01-01T00:00:00Z")]
    public void TryIsoToUtc_IsoInput_ConvertsOffsetAndKeepsEveryFractionDigit(string input, string expected)
    {
        var ok = Times.TryIsoToUtc(input, out var utc);

        Assert.True(ok);
        Assert.Equal(expected, utc);
    }

    [Theory]
    [InlineData("datetime")]
    [InlineData("")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-01-01T25:00:00Z")]
    [InlineData("Thu, 02 Aug 2018 05:30:00 GMT")]
    [InlineData("1704103200")]
    public void TryIsoToUtc_NotIso_Fails(string input)
    {
        Assert.False(Times.TryIsoToUtc(input, out _));
    }

    [Theory]
    [InlineData("Thu, 02 Aug 2018 05:30:00 GMT", "2018-08-02T05:30:00Z")]
    [InlineData("3/22/2019 1:36:33 PM", "2019-03-22T13:36:33Z")]
    [InlineData("2021-11-16T08:27:36.1836909+00:00", "2021-11-16T08:27:36.1836909Z")]
    public void ToUtc_OtherSenderFormats_Converted(string input, string expected)
    {
        Assert.Equal(expected, Times.ToUtc(input));
    }

    [Fact]
    public void ToUtc_Garbage_IsNull()
    {
        Assert.Null(Times.ToUtc("not a time"));
        Assert.Null(Times.ToUtc(null));
    }
}
