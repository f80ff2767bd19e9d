namespace Webhook.Plugins.Common;

/// <summary>The body of every 4xx/5xx answer of the plugin protocol.</summary>
internal sealed record PluginError(string Code, string Message);

internal static class PluginErrorCodes
{
    public const string InvalidRequest = "ERROR_INVALID_REQUEST";
    public const string InvalidOptions = "ERROR_INVALID_PLUGIN_OPTIONS";
    public const string InvalidPayload = "ERROR_INVALID_PAYLOAD";
    public const string NotFound = "ERROR_NOT_FOUND";
    public const string Unknown = "ERROR_UNKNOWN";
}

/// <summary>Thrown by a parser for a payload it does not understand; becomes a 400 ERROR_INVALID_PAYLOAD.</summary>
internal sealed class PayloadException(string message) : Exception(message);

/// <summary>Thrown for bad plugin options; becomes a 400 ERROR_INVALID_PLUGIN_OPTIONS.</summary>
internal sealed class OptionsException(string option, string message) : Exception(message)
{
    public string Option { get; } = option;
}
