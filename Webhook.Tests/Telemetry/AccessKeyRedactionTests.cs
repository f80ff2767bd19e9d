using Webhook.Api.Telemetry;

namespace Webhook.Tests.Telemetry;

public sealed class AccessKeyRedactionTests
{
    [Theory]
    [InlineData("/monitoring/v1/webhook/webhook-abc/0123456789abcdef0123456789abcdef/events",
        "/monitoring/v1/webhook/webhook-abc/{access_key}/events")]
    [InlineData("Request starting HTTP/1.1 POST http://api:8080/monitoring/v1/webhook/webhook-abc/s3cr3t/events?x=1 - 12",
        "Request starting HTTP/1.1 POST http://api:8080/monitoring/v1/webhook/webhook-abc/{access_key}/events?x=1 - 12")]
    [InlineData("/MONITORING/V1/WEBHOOK/webhook-abc/S3CR3T/EVENTS", "/MONITORING/V1/WEBHOOK/webhook-abc/{access_key}/EVENTS")]
    [InlineData("/monitoring/v1/webhook/webhook-abc/a key with spaces/events/",
        "/monitoring/v1/webhook/webhook-abc/{access_key}/events/")]
    public void Redact_ReceiverPath_ReplacesTheKeySegmentOnly(string text, string expected)
    {
        Assert.Equal(expected, AccessKeyRedaction.Redact(text));
    }

    [Theory]
    [InlineData("/monitoring/v1/webhook/webhook-abc/events")]
    [InlineData("/monitoring/v1/webhook/webhook-abc/events/replay")]
    [InlineData("/monitoring/v1/webhook/webhook-abc/access-key/rotate")]
    [InlineData("/monitoring/v1/events/search")]
    public void Redact_OtherRoutes_LeavesThemAlone(string text)
    {
        Assert.Equal(text, AccessKeyRedaction.Redact(text));
    }
}
