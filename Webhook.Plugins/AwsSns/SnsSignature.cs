using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Webhook.Plugins.AwsSns;

/// <summary>What SNS signed in one message: the canonical text, the signature and its hash.</summary>
internal sealed record SignedSnsMessage(byte[] StringToSign, byte[] Signature, HashAlgorithmName Hash, string SigningCertUrl);

/// <summary>
/// SNS message signatures (pure; the certificate is fetched by <see cref="SnsCertificateStore"/>).
/// See AWS's "Verifying the signatures of Amazon SNS messages": the signed text is "Name\nValue\n" for a fixed,
/// sorted list of fields per Type; SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA.
/// </summary>
internal static class SnsSignature
{
    // Subject is signed only when the message has one; every other field listed here must be present.
    private static readonly string[] NotificationFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];
    private static readonly string[] ConfirmationFields = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

    public static PayloadException Failure(string why) =>
        new($"the SNS message signature could not be verified: {why}. Messages must come from SNS itself "
            + "(turn the option verify_signature off only for senders that cannot sign)");

    /// <summary>Reads what was signed; throws <see cref="PayloadException"/> when the message cannot carry a valid signature.</summary>
    public static SignedSnsMessage Read(JsonObject envelope, string type)
    {
        var hash = StringField(envelope, "SignatureVersion") switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            null => throw Failure("there is no SignatureVersion"),
            var other => throw Failure($"SignatureVersion '{other}' is not supported (1 or 2)"),
        };

        var signatureText = StringField(envelope, "Signature");
        if (string.IsNullOrEmpty(signatureText))
        {
            throw Failure("there is no Signature");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureText);
        }
        catch (FormatException)
        {
            throw Failure("Signature is not base64");
        }

        return new SignedSnsMessage(StringToSign(envelope, type), signature, hash, StringField(envelope, "SigningCertURL") ?? "");
    }

    public static byte[] StringToSign(JsonObject envelope, string type)
    {
        var text = new StringBuilder();
        foreach (var field in type == AwsSnsParser.Notification ? NotificationFields : ConfirmationFields)
        {
            var value = StringField(envelope, field);
            if (value is null && field == "Subject")
            {
                continue;
            }

            text.Append(field).Append('\n').Append(value ?? throw Failure($"there is no {field}, which SNS signs")).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Null when the certificate's key made this signature, else why not.</summary>
    public static string? Mismatch(SignedSnsMessage message, X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPublicKey();
        if (key is null)
        {
            return "the signing certificate has no RSA key";
        }

        return key.VerifyData(message.StringToSign, message.Signature, message.Hash, RSASignaturePadding.Pkcs1)
            ? null
            : "the signature does not match the message (it was altered, or not signed by this certificate)";
    }

    /// <summary>A field exactly as sent: only a JSON string counts, since SNS signs text.</summary>
    private static string? StringField(JsonObject envelope, string name)
    {
        if (!envelope.TryGetPropertyValue(name, out var value) || value is null)
        {
            return null;
        }

        return value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw Failure($"{name} is {JsonText.Kind(value)}, not a string");
    }
}
