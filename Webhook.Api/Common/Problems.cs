using Microsoft.AspNetCore.Mvc;

namespace Webhook.Api.Common;

/// <summary>The one place that turns an error code into a problem+json body (DESIGN.md "Errors").</summary>
internal static class Problems
{
    /// <summary>
    /// The id an error body quotes: the W3C trace id of the request's activity (the one traces and JSON logs carry,
    /// and the caller's own when it sent a traceparent), or Kestrel's request id when no activity exists.
    /// </summary>
    public static string TraceId(HttpContext http) =>
        System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } activity
            ? activity.TraceId.ToHexString()
            : http.TraceIdentifier;

    private static readonly Dictionary<string, (int Status, string Title)> Codes = new()
    {
        [ErrorCodes.RequiredParameter] = (400, "Required parameter"),
        [ErrorCodes.InvalidArgument] = (400, "Invalid argument"),
        [ErrorCodes.InvalidParameterType] = (400, "Invalid parameter type"),
        [ErrorCodes.InvalidQuery] = (400, "Invalid query"),
        [ErrorCodes.NotFound] = (404, "Not found"),
        [ErrorCodes.NotUnique] = (409, "Not unique"),
        [ErrorCodes.PluginNotFound] = (400, "Plugin not found"),
        [ErrorCodes.PluginVersionNotFound] = (400, "Plugin version not found"),
        [ErrorCodes.PluginRejected] = (400, "Plugin rejected the request"),
        [ErrorCodes.PluginUnavailable] = (502, "Plugin unavailable"),
        [ErrorCodes.AuthenticateFailure] = (401, "Authentication failed"),
        [ErrorCodes.PermissionDenied] = (403, "Permission denied"),
        [ErrorCodes.WebhookStateDisabled] = (400, "Webhook is disabled"),
        [ErrorCodes.PayloadTooLarge] = (413, "Payload too large"),
        [ErrorCodes.ServiceUnavailable] = (503, "Service unavailable"),
        [ErrorCodes.RateLimited] = (429, "Too many requests"),
        [ErrorCodes.QueryTimeout] = (400, "Query timed out"),
        [ErrorCodes.Unknown] = (500, "Internal error"),
    };

    /// <summary>The code for a status the framework answered by itself (no handler chose one).</summary>
    public static string CodeOf(int status) => status switch
    {
        StatusCodes.Status404NotFound => ErrorCodes.NotFound,
        StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
        StatusCodes.Status429TooManyRequests => ErrorCodes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => ErrorCodes.ServiceUnavailable,
        >= 400 and < 500 => ErrorCodes.InvalidArgument,
        _ => ErrorCodes.Unknown,
    };

    public static int StatusOf(string code) =>
        Codes.TryGetValue(code, out var known) ? known.Status
        : code.StartsWith("ERROR_OPERATOR_", StringComparison.Ordinal) ? 400
        : 500;

    public static ProblemDetails Create(string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        var title = Codes.TryGetValue(code, out var known) ? known.Title : "Invalid query";
        var problem = new ProblemDetails { Status = StatusOf(code), Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
        }

        return problem;
    }

    /// <summary>"Required parameter. (key = plugin_info.plugin_id)": SpaceONE's detail shape.</summary>
    public static ProblemDetails ForKey(string code, string key, string message) =>
        Create(code, $"{message} (key = {key})", new Dictionary<string, string[]> { [key] = [message] });

    public static ProblemHttpResult Result(ProblemDetails problem) => TypedResults.Problem(problem);

    /// <summary>400 when a body repeats the path's id with another value (never silently prefer either); else null.</summary>
    public static ProblemHttpResult? BodyNamesOther(string key, string pathId, string? bodyId) =>
        bodyId is null || bodyId == pathId
            ? null
            : Result(ForKey(ErrorCodes.InvalidArgument, key, $"The body's {key} differs from the one in the path."));

    public static ProblemHttpResult NotFound(string what, string id) =>
        Result(ForKey(ErrorCodes.NotFound, what, $"{what} not found: {id}."));
}
