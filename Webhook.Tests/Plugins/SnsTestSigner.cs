using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Webhook.Tests.Plugins;

/// <summary>
/// Plays SNS for tests: a self-signed certificate served by a loopback server, and messages signed with its key
/// the way AWS documents it. The signed text is built here independently of the plugin's own code, so a mistake in
/// either shows up as a failed verification.
/// </summary>
public sealed class SnsTestSigner : IDisposable
{
    private readonly RSA key = RSA.Create(2048);

    public SnsTestSigner(LoopbackServer server, string certificatePath = "/SimpleNotificationService-test.pem")
    {
        var request = new CertificateRequest("CN=sns.test-region.amazonaws.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        CertificatePem = certificate.ExportCertificatePem();
        CertificateUrl = server.Serve(certificatePath, CertificatePem).ToString();
    }

    public string CertificatePem { get; }

    public string CertificateUrl { get; }

    /// <summary>The message with SigningCertURL, SignatureVersion and Signature set; fields it signs are as given.</summary>
    public JsonObject Sign(JsonNode message, int version = 1, string? certificateUrl = null)
    {
        var signed = message.DeepClone().AsObject();
        signed["SigningCertURL"] = certificateUrl ?? CertificateUrl;
        signed["SignatureVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hash = version == 1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var signature = key.SignData(Encoding.UTF8.GetBytes(StringToSign(signed)), hash, RSASignaturePadding.Pkcs1);
        signed["Signature"] = Convert.ToBase64String(signature);
        return signed;
    }

    /// <summary>A payload file as a signed sender would post it (text).</summary>
    public string SignedText(string json) => Sign(JsonNode.Parse(json)!).ToJsonString();

    // AWS: "Name\nValue\n" for each present field of the Type's list, in this (byte) order.
    private static string StringToSign(JsonObject message)
    {
        string[] fields = (string)message["Type"]! == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
        var text = new StringBuilder();
        foreach (var field in fields.Where(f => message[f] is not null))
        {
            text.Append(field).Append('\n').Append((string)message[field]!).Append('\n');
        }

        return text.ToString();
    }

    public void Dispose() => key.Dispose();
}
