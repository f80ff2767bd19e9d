using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Webhook.Tests.Plugins;

/// <summary>
/// SNS signatures and allowed_topic_arns through the real plugin host. Messages are signed by the test's own
/// certificate, served on loopback; the only allowed certificate host is 127.0.0.1, so the samples' real AWS
/// SigningCertURLs are refused before anything is fetched.
/// </summary>
[Collection(PluginHostCollection.Name)]
public sealed class SnsSignatureHttpTests(PluginHostFixture host)
{
    private const string ParsePath = "/aws-sns/monitoring/plugin/v1/event/parse";
    private const string CloudWatch = "cloudwatch-ec2-cpu-alarm.json";

    private static JsonNode Sample(string file) => PluginTestData.Payload("aws-sns", file);

    private async Task<(HttpStatusCode Status, JsonObject Body)> ParseAsync(JsonNode data, JsonObject? options = null, bool asText = true)
    {
        var request = new JsonObject
        {
            ["options"] = options ?? new JsonObject(),
            ["data"] = asText ? JsonValue.Create(data.ToJsonString()) : data,
        };
        var response = await host.PostJsonAsync(ParsePath, request);
        return (response.StatusCode, await PluginHostFixture.BodyAsync(response));
    }

    private static void AssertRejected((HttpStatusCode Status, JsonObject Body) answer, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("ERROR_INVALID_PAYLOAD", answer.Body["code"]!.GetValue<string>());
        Assert.Contains(reason, answer.Body["message"]!.GetValue<string>());
    }

    private string SubscribeUrl(string token) => new Uri(host.Sns.BaseAddress, $"/?Action=ConfirmSubscription&Token={token}").ToString();

    private JsonObject ConfirmationTo(string subscribeUrl)
    {
        var payload = Sample("subscription-confirmation.json");
        payload["SubscribeURL"] = subscribeUrl;
        return host.Signer.Sign(payload);
    }

    public static TheoryData<string, int, string> SignedSamples => new()
    {
        { CloudWatch, 1, "EC2-CPU" },
        { CloudWatch, 2, "EC2-CPU" },
        { "phd-health-abuse-event.json", 1, "AWS_ABUSE_COPYRIGHT_DMCA_REPORT" },
        { "phd-health-abuse-event.json", 2, "AWS_ABUSE_COPYRIGHT_DMCA_REPORT" },
        // Its SubscribeURL is real AWS: refused by the allow-list, so the valid message gives "not confirmed".
        { "subscription-confirmation.json", 1, "SNS subscription not confirmed" },
        { "subscription-confirmation.json", 2, "SNS subscription not confirmed" },
    };

    [Theory]
    [MemberData(nameof(SignedSamples))]
    public async Task Parse_SampleSignedWithVersion_Accepted(string file, int version, string title)
    {
        var answer = await ParseAsync(host.Signer.Sign(Sample(file), version));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var e = Assert.Single(answer.Body["results"]!.AsArray())!;
        Assert.StartsWith(title, e["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_NotificationWithoutSubject_SignedWithoutIt_Accepted()
    {
        var message = Sample(CloudWatch).AsObject();
        message.Remove("Subject");

        var answer = await ParseAsync(host.Signer.Sign(message, 2));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    public static TheoryData<string> Tamperings => new()
    {
        "Message", "Subject", "Subject removed", "TopicArn", "Timestamp", "MessageId", "SignatureVersion", "signed by another key",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Parse_TamperedAfterSigning_400SignatureDoesNotMatch(string tampering)
    {
        var signed = host.Signer.Sign(Sample(CloudWatch));
        switch (tampering)
        {
            case "Message": signed["Message"] = signed["Message"]!.GetValue<string>().Replace("\"ALARM\"", "\"OK\"", StringComparison.Ordinal); break;
            case "Subject": signed["Subject"] = "OK: \"EC2-CPU\" in Asia Pacific (Seoul)"; break;
            case "Subject removed": signed.Remove("Subject"); break;
            case "TopicArn": signed["TopicArn"] = "arn:aws:sns:ap-northeast-2:257706363616:other-topic"; break;
            case "Timestamp": signed["Timestamp"] = "2021-06-23T08:41:06.657Z"; break;
            case "MessageId": signed["MessageId"] = Guid.NewGuid().ToString(); break;
            case "SignatureVersion": signed["SignatureVersion"] = "2"; break;
            case "signed by another key":
                using (var forger = new SnsTestSigner(host.Sns, $"/forger-{Guid.NewGuid():N}.pem"))
                {
                    signed = forger.Sign(Sample(CloudWatch), certificateUrl: host.Signer.CertificateUrl);
                }

                break;
        }

        var answer = await ParseAsync(signed);

        AssertRejected(answer, "the SNS message signature could not be verified: the signature does not match the message");
    }

    [Theory]
    [InlineData("Signature", "there is no Signature")]
    [InlineData("SignatureVersion", "there is no SignatureVersion")]
    [InlineData("Timestamp", "there is no Timestamp, which SNS signs")]
    [InlineData("SigningCertURL", "the message has no SigningCertURL")]
    public async Task Parse_SignedFieldMissing_400NamingIt(string field, string reason)
    {
        var signed = host.Signer.Sign(Sample(CloudWatch));
        signed.Remove(field);

        AssertRejected(await ParseAsync(signed), reason);
    }

    [Theory]
    [InlineData("3", "SignatureVersion '3' is not supported")]
    [InlineData("not base64!", "Signature is not base64")]
    public async Task Parse_SignatureUnusable_400(string value, string reason)
    {
        var signed = host.Signer.Sign(Sample(CloudWatch));
        signed[reason.StartsWith("SignatureVersion", StringComparison.Ordinal) ? "SignatureVersion" : "Signature"] = value;

        AssertRejected(await ParseAsync(signed), reason);
    }

    [Fact]
    public async Task Parse_RealAwsSampleAsSent_RefusedWithoutFetchingItsCertificate()
    {
        var answer = await ParseAsync(Sample(CloudWatch));

        AssertRejected(answer, "SigningCertURL host 'sns.ap-northeast-2.amazonaws.com' is not an allowed SNS host");
    }

    [Theory]
    [InlineData("http://localhost:{port}/{token}.pem", "SigningCertURL host 'localhost' is not an allowed SNS host")]
    [InlineData("ftp://127.0.0.1:{port}/{token}.pem", "SigningCertURL scheme 'ftp' is not allowed")]
    [InlineData("/{token}.pem", "is not allowed")]
    public async Task Parse_CertificateUrlNotAllowed_400WithoutAnyFetch(string template, string reason)
    {
        var token = Guid.NewGuid().ToString("N");
        var certificateUrl = template.Replace("{port}", host.Sns.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{token}", token, StringComparison.Ordinal);
        host.Sns.Serve($"/{token}.pem", host.Signer.CertificatePem);

        var answer = await ParseAsync(host.Signer.Sign(Sample(CloudWatch), certificateUrl: certificateUrl));

        AssertRejected(answer, reason);
        Assert.DoesNotContain(host.Sns.Requests, r => r.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parse_ManyMessagesOneCertificate_FetchedOnce()
    {
        var path = $"/cached-{Guid.NewGuid():N}.pem";
        using var signer = new SnsTestSigner(host.Sns, path);

        foreach (var version in new[] { 1, 2, 1, 2 })
        {
            Assert.Equal(HttpStatusCode.OK, (await ParseAsync(signer.Sign(Sample(CloudWatch), version))).Status);
        }

        Assert.Single(host.Sns.Requests, r => r == $"GET {path}");
    }

    [Theory]
    [InlineData("this is not a certificate", "is not a PEM certificate")]
    [InlineData(null, "the certificate is larger than 65536 bytes")]
    public async Task Parse_CertificateUnusable_400(string? served, string reason)
    {
        var url = host.Sns.Serve($"/bad-{Guid.NewGuid():N}.pem", served ?? new string('A', 70_000)).ToString();

        var answer = await ParseAsync(host.Signer.Sign(Sample(CloudWatch), certificateUrl: url));

        AssertRejected(answer, $"the signing certificate {url} could not be fetched: ");
        AssertRejected(answer, reason);
    }

    [Fact]
    public async Task Parse_CertificateHostAnswersError_400AndTheNextMessageFetchesAgain()
    {
        var url = new Uri(host.Sns.BaseAddress, $"/missing-{Guid.NewGuid():N}.pem").ToString();
        var message = host.Signer.Sign(Sample(CloudWatch), certificateUrl: url);

        // The loopback server answers unknown paths with its (non-PEM) confirmation body: a failure, not cached.
        AssertRejected(await ParseAsync(message), "is not a PEM certificate");
        host.Sns.Serve(new Uri(url).AbsolutePath, host.Signer.CertificatePem);
        var retried = await ParseAsync(message);

        Assert.Equal(HttpStatusCode.OK, retried.Status);
    }

    [Fact]
    public async Task Parse_VerifySignatureOff_UnsignedMessageAccepted()
    {
        var answer = await ParseAsync(Sample(CloudWatch), PluginTestData.Obj("""{"verify_signature": false}"""));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("EC2-CPU", Assert.Single(answer.Body["results"]!.AsArray())!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""["arn:aws:sns:ap-northeast-2:257706363616:spaceone-notification"]""")]
    [InlineData("""["arn:aws:sns:eu-west-1:1:x", "arn:aws:sns:*:257706363616:spaceone-*"]""")]
    [InlineData("""["*"]""")]
    public async Task Parse_TopicInAllowedTopicArns_Accepted(string allowed)
    {
        var options = new JsonObject { ["allowed_topic_arns"] = JsonNode.Parse(allowed) };

        var answer = await ParseAsync(host.Signer.Sign(Sample(CloudWatch)), options);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("""["arn:aws:sns:ap-northeast-2:257706363616:other"]""")]
    [InlineData("""["arn:aws:sns:*:999999999999:*"]""")]
    [InlineData("""["arn:aws:sns:ap-northeast-2:257706363616:SPACEONE-NOTIFICATION"]""")]
    public async Task Parse_ForeignTopic_400BeforeItsCertificateIsFetched(string allowed)
    {
        var path = $"/foreign-{Guid.NewGuid():N}.pem";
        using var signer = new SnsTestSigner(host.Sns, path);
        var options = new JsonObject { ["allowed_topic_arns"] = JsonNode.Parse(allowed) };

        var answer = await ParseAsync(signer.Sign(Sample(CloudWatch)), options);

        AssertRejected(answer, "topic 'arn:aws:sns:ap-northeast-2:257706363616:spaceone-notification' is not in the option allowed_topic_arns");
        Assert.DoesNotContain(host.Sns.Requests, r => r.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parse_SubscriptionTamperedAfterSigning_400AndNotConfirmed()
    {
        var token = Guid.NewGuid().ToString("N");
        var confirmation = ConfirmationTo(SubscribeUrl("signed"));
        // An attacker swapping in their own SubscribeURL breaks the signature.
        confirmation["SubscribeURL"] = SubscribeUrl(token);

        var answer = await ParseAsync(confirmation);

        AssertRejected(answer, "the signature does not match the message");
        Assert.DoesNotContain(host.Sns.Requests, r => r.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parse_SubscriptionUnsigned_400AndNotConfirmed()
    {
        var token = Guid.NewGuid().ToString("N");
        var confirmation = ConfirmationTo(SubscribeUrl(token));
        confirmation.Remove("Signature");

        AssertRejected(await ParseAsync(confirmation), "there is no Signature");
        Assert.DoesNotContain(host.Sns.Requests, r => r.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parse_SubscriptionFromForeignTopic_400AndNotConfirmed()
    {
        var token = Guid.NewGuid().ToString("N");
        var options = PluginTestData.Obj("""{"allowed_topic_arns": ["arn:aws:sns:*:1234567890:alerts-*"]}""");

        var answer = await ParseAsync(ConfirmationTo(SubscribeUrl(token)), options);

        AssertRejected(answer, "topic 'arn:aws:sns:ap-southeast-2:1234567890:sns-phd-info-test-ver4' is not in the option allowed_topic_arns");
        Assert.DoesNotContain(host.Sns.Requests, r => r.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parse_SubscriptionSignedFromAllowedTopic_Confirmed()
    {
        var token = Guid.NewGuid().ToString("N");
        var options = PluginTestData.Obj("""{"allowed_topic_arns": ["arn:aws:sns:ap-southeast-2:1234567890:sns-phd-*"]}""");

        var answer = await ParseAsync(ConfirmationTo(SubscribeUrl(token)), options);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("SNS subscription confirmed", Assert.Single(answer.Body["results"]!.AsArray())!["title"]!.GetValue<string>());
        Assert.Single(host.Sns.Requests, r => r.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_AwsSns_DescribesItsTwoOptions()
    {
        var response = await host.PostJsonAsync("/aws-sns/monitoring/plugin/v1/webhook/init", PluginTestData.Obj("""{"options": {}}"""));

        var properties = (await PluginHostFixture.BodyAsync(response))["metadata"]!["options_schema"]!["properties"]!.AsObject();
        Assert.Equal(["verify_signature", "allowed_topic_arns"], properties.Select(p => p.Key));
        Assert.Equal("boolean", properties["verify_signature"]!["type"]!.GetValue<string>());
        Assert.True(properties["verify_signature"]!["default"]!.GetValue<bool>());
        Assert.Equal("array", properties["allowed_topic_arns"]!["type"]!.GetValue<string>());
        Assert.Equal("[]", properties["allowed_topic_arns"]!["default"]!.ToJsonString());
    }
}
