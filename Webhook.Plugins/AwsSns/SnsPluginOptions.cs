using System.Text.RegularExpressions;

namespace Webhook.Plugins.AwsSns;

/// <summary>The per-webhook options of the aws-sns plugin.</summary>
internal static class SnsPluginOptions
{
    public const string VerifySignature = "verify_signature";
    public const string AllowedTopicArns = "allowed_topic_arns";

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new(VerifySignature, OptionType.Boolean, JsonValue.Create(true), "Verify SNS signatures",
            "Reject (as an ERROR event) any message whose SNS signature does not verify against the certificate at its "
            + "SigningCertURL. Turn off only for senders that post SNS-shaped messages without signing them."),
        new(AllowedTopicArns, OptionType.StringList, new JsonArray(), "Allowed topic ARNs",
            "Topic ARNs this webhook accepts messages and subscription confirmations from; * matches any characters "
            + "(arn:aws:sns:*:123456789012:*). Empty: any topic.",
            CheckTopicPatterns),
    ];

    public static bool VerifiesSignature(JsonObject options) =>
        options[VerifySignature] is not JsonValue v || v.GetValue<bool>();

    /// <summary>Null when the topic may send to this webhook, else why not.</summary>
    public static string? TopicRefusal(string? topicArn, JsonObject options)
    {
        var patterns = (options.Arr(AllowedTopicArns) ?? []).Select(JsonText.Scalar).OfType<string>().ToList();
        if (patterns.Count == 0)
        {
            return null;
        }

        if (string.IsNullOrEmpty(topicArn))
        {
            return $"the message has no TopicArn, and the option {AllowedTopicArns} limits the topics";
        }

        return patterns.Any(p => TopicPattern(p).IsMatch(topicArn))
            ? null
            : $"topic '{topicArn}' is not in the option {AllowedTopicArns}";
    }

    // ARNs are case-sensitive; * is the only wildcard (as in IAM policies), everything else is literal.
    private static Regex TopicPattern(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static (string Option, string Message)? CheckTopicPatterns(JsonNode value)
    {
        var patterns = value.AsArray();
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i]!.GetValue<string>();
            if (!pattern.StartsWith("arn:", StringComparison.Ordinal) && !pattern.StartsWith('*'))
            {
                return ($"{AllowedTopicArns}[{i}]",
                    $"option '{AllowedTopicArns}[{i}]' must be a topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts (* matches any characters), got '{pattern}'");
            }
        }

        return null;
    }
}
