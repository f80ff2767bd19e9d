namespace Webhook.Plugins.AwsSns;

internal sealed class AwsSnsPlugin(SnsMessageAuthenticator authenticator, SnsSubscriptionConfirmer confirmer) : IWebhookPlugin
{
    public PluginDescriptor Descriptor { get; } = new(
        BasePath: "aws-sns",
        PluginId: "plugin-aws-sns-mon-webhook",
        Name: "AWS SNS / CloudWatch",
        Description: "Receives AWS SNS HTTP(S) deliveries: verifies SNS signatures, confirms subscriptions (allow-listed SNS hosts only), "
            + "and turns CloudWatch alarms (one event per dimension), AWS Health events and other messages into events.",
        ContentTypes: ["text/plain", "application/json"],
        Formats: ["AWS SNS HTTP message", "CloudWatch alarm notification", "AWS Health event"],
        Options: SnsPluginOptions.Specs);

    public async Task<IReadOnlyList<EventInfo>> ParseAsync(JsonNode? data, JsonObject options, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var (envelope, type) = AwsSnsParser.Envelope(data);
        await authenticator.EnsureAuthenticAsync(envelope, type, options, cancellationToken);
        if (type != AwsSnsParser.SubscriptionConfirmation)
        {
            return AwsSnsParser.Parse(envelope, type);
        }

        var outcome = await confirmer.ConfirmAsync(envelope.Str("SubscribeURL"), cancellationToken);
        return [AwsSnsParser.SubscriptionEvent(envelope, outcome)];
    }
}
