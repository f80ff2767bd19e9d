namespace Webhook.Plugins.AwsSns;

/// <summary>
/// Decides whether a message may be acted on at all: its topic is one the webhook accepts and SNS signed it.
/// Runs before parsing and before any subscription is confirmed; a refusal is a <see cref="PayloadException"/>.
/// </summary>
internal sealed class SnsMessageAuthenticator(SnsCertificateStore certificates)
{
    public async Task EnsureAuthenticAsync(JsonObject envelope, string type, JsonObject options, CancellationToken cancellationToken)
    {
        // The topic first: it costs nothing, and a foreign topic's certificate is never fetched.
        if (SnsPluginOptions.TopicRefusal(envelope.Str("TopicArn"), options) is { } topicRefusal)
        {
            throw new PayloadException($"the SNS message was refused: {topicRefusal}");
        }

        if (!SnsPluginOptions.VerifiesSignature(options))
        {
            return;
        }

        var signed = SnsSignature.Read(envelope, type);
        var certificate = await certificates.GetAsync(signed.SigningCertUrl, cancellationToken);
        if (SnsSignature.Mismatch(signed, certificate) is { } mismatch)
        {
            throw SnsSignature.Failure(mismatch);
        }
    }
}
