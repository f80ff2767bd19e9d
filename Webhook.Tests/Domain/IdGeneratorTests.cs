using System.Text.RegularExpressions;
using Webhook.Domain.Common;

namespace Webhook.Tests.Domain;

public sealed class IdGeneratorTests
{
    private readonly RandomIdGenerator _ids = new();

    [Fact]
    public void NewWebhookId_IsWebhookDashTwelveLowerHexDigits()
    {
        Assert.Matches(new Regex("^webhook-[0-9a-f]{12}$"), _ids.NewWebhookId());
    }

    [Fact]
    public void NewEventId_IsEventDashTwelveLowerHexDigits()
    {
        Assert.Matches(new Regex("^event-[0-9a-f]{12}$"), _ids.NewEventId());
    }

    [Fact]
    public void NewAccessKey_IsThirtyTwoLowerHexDigits()
    {
        Assert.Matches(new Regex("^[0-9a-f]{32}$"), _ids.NewAccessKey());
    }

    [Fact]
    public void EachCall_GivesAFreshValue()
    {
        var webhookIds = Enumerable.Range(0, 100).Select(_ => _ids.NewWebhookId()).ToHashSet();
        var keys = Enumerable.Range(0, 100).Select(_ => _ids.NewAccessKey()).ToHashSet();

        Assert.Equal(100, webhookIds.Count);
        Assert.Equal(100, keys.Count);
    }
}
