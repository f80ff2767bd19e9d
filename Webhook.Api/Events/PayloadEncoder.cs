using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Webhook.Api.Events;

/// <summary>
/// Turns a received body into the JSON value stored as the raw request's payload (a jsonb column): JSON stays
/// JSON, form data becomes an object, anything else becomes one JSON string. Never rejects a body for its
/// content: what a plugin cannot parse becomes an ERROR event, not a lost alert.
/// </summary>
internal static class PayloadEncoder
{
    // The one depth limit: deeper JSON is kept as text (a JSON string), never rejected; parsing makes it an ERROR event.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = Domain.Common.Json.MaxDepth };

    public static string Encode(ReadOnlySpan<byte> body, string? contentType)
    {
        MediaTypeHeaderValue.TryParse(contentType, out var media);
        var mediaType = media?.MediaType.Value?.ToLowerInvariant() ?? "";
        var utf8 = ToUtf8(body, media?.Charset.Value);

        if (mediaType == "application/json" || (mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal)))
        {
            return IsJson(utf8, containersOnly: false) ? Encoding.UTF8.GetString(utf8) : AsString(utf8);
        }

        // AWS SNS posts its JSON envelope as text/plain; curl -d labels JSON as a form. A JSON object or array
        // under those types is what the sender meant.
        if (mediaType is "text/plain" or "application/x-www-form-urlencoded" && IsJson(utf8, containersOnly: true))
        {
            return Encoding.UTF8.GetString(utf8);
        }

        return mediaType == "application/x-www-form-urlencoded" ? FormToJson(utf8) : AsString(utf8);
    }

    private static ReadOnlySpan<byte> ToUtf8(ReadOnlySpan<byte> body, string? charset)
    {
        if (body.StartsWith("\xEF\xBB\xBF"u8))
        {
            body = body[3..];
        }

        if (string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                                          || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        try
        {
            return Encoding.UTF8.GetBytes(Encoding.GetEncoding(charset.Trim('"')).GetString(body));
        }
        catch (ArgumentException)
        {
            return body;
        }
    }

    private static bool IsJson(ReadOnlySpan<byte> utf8, bool containersOnly)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            if (!reader.Read())
            {
                return false;
            }

            if (containersOnly && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Invalid UTF-8 becomes U+FFFD; NUL characters too, as jsonb cannot hold them.</summary>
    private static string AsString(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Serialize(Encoding.UTF8.GetString(utf8).Replace('\0', '\uFFFD'));

    /// <summary>a=1&amp;b=2&amp;b=3 → {"a": "1", "b": ["2", "3"]}: a repeated key keeps every value, in order.</summary>
    private static string FormToJson(ReadOnlySpan<byte> utf8)
    {
        var fields = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(utf8));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, values) in fields)
            {
                if (values.Count == 1)
                {
                    writer.WriteString(Clean(key), Clean(values[0]));
                }
                else
                {
                    writer.WriteStartArray(Clean(key));
                    foreach (var value in values)
                    {
                        writer.WriteStringValue(Clean(value));
                    }

                    writer.WriteEndArray();
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);

        static string Clean(string? text) => (text ?? "").Replace('\0', '\uFFFD');
    }

    /// <summary>The request headers a parser may need (SNS message type and topic, the sender's agent); never credentials.</summary>
    public static string HeadersToJson(IHeaderDictionary headers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var name in KeptHeaders)
            {
                if (headers.TryGetValue(name, out var value) && value.Count > 0)
                {
                    var text = value.ToString();
                    writer.WriteString(name, (text.Length > 1024 ? text[..1024] : text).Replace('\0', '\uFFFD'));
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static readonly string[] KeptHeaders =
    [
        "content-type", "user-agent", "x-amz-sns-message-type", "x-amz-sns-message-id", "x-amz-sns-topic-arn",
        "x-amz-sns-subscription-arn", "x-github-event", "x-request-id",
    ];
}
