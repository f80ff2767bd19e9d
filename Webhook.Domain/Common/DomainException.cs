namespace Webhook.Domain.Common;

/// <summary>
/// An expected failure that the API answers with a 4xx/5xx problem body. <see cref="Code"/> is the
/// SpaceONE-style error code; <see cref="Key"/> names the offending field when there is one.
/// </summary>
public class DomainException(string code, string message, string? key = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Key { get; } = key;
}

public static class ErrorCodes
{
    public const string RequiredParameter = "ERROR_REQUIRED_PARAMETER";
    public const string InvalidArgument = "ERROR_INVALID_ARGUMENT";
    public const string InvalidParameterType = "ERROR_INVALID_PARAMETER_TYPE";
    public const string InvalidQuery = "ERROR_INVALID_QUERY";
    public const string OperatorValueType = "ERROR_OPERATOR_VALUE_TYPE";
    public const string OperatorListValueType = "ERROR_OPERATOR_LIST_VALUE_TYPE";
    public const string OperatorBooleanType = "ERROR_OPERATOR_BOOLEAN_TYPE";
    public const string NotFound = "ERROR_NOT_FOUND";
    public const string NotUnique = "ERROR_NOT_UNIQUE";
    public const string PluginNotFound = "ERROR_PLUGIN_NOT_FOUND";
    public const string PluginVersionNotFound = "ERROR_PLUGIN_VERSION_NOT_FOUND";
    public const string PluginRejected = "ERROR_PLUGIN_REJECTED";
    public const string PluginUnavailable = "ERROR_PLUGIN_UNAVAILABLE";
    public const string AuthenticateFailure = "ERROR_AUTHENTICATE_FAILURE";
    public const string PermissionDenied = "ERROR_PERMISSION_DENIED";
    public const string WebhookStateDisabled = "ERROR_WEBHOOK_STATE_DISABLED";
    public const string PayloadTooLarge = "ERROR_PAYLOAD_TOO_LARGE";
    public const string ServiceUnavailable = "ERROR_SERVICE_UNAVAILABLE";
    public const string RateLimited = "ERROR_RATE_LIMITED";
    public const string QueryTimeout = "ERROR_QUERY_TIMEOUT";
    public const string Unknown = "ERROR_UNKNOWN";
}
