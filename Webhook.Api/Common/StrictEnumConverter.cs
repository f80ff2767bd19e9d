using System.Text.Json.Serialization;

namespace Webhook.Api.Common;

/// <summary>Thrown for an enum value outside its set; the message lists the allowed values.</summary>
internal sealed class StrictEnumException(string message) : JsonException(message);

/// <summary>Enums travel as their exact upper-case names; numbers and other spellings are rejected by name.</summary>
internal sealed class StrictEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String
            && Enum.TryParse<TEnum>(reader.GetString(), ignoreCase: false, out var value)
            && Enum.IsDefined(value)
            && !int.TryParse(reader.GetString(), out _))
        {
            return value;
        }

        throw new StrictEnumException($"Must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
