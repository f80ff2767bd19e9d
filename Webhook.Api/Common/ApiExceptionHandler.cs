using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Webhook.Domain.Querying;

namespace Webhook.Api.Common;

/// <summary>
/// Maps the few exception types that carry an expected outcome to their problem body; anything else is
/// a 500 whose body carries only the trace id.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException e when e.Key is not null => Problems.ForKey(e.Code, e.Key, e.Message),
            DomainException e => Problems.Create(e.Code, e.Message),
            QueryException e => Problems.ForKey(e.Code, e.Path, e.Message),
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Problems.Create(ErrorCodes.PayloadTooLarge, "The request body is larger than the configured limit."),
            BadHttpRequestException e => Problems.Create(ErrorCodes.InvalidArgument, e.Message),
            DbUpdateException when UniqueViolations.ProblemFor(exception) is { } violation => violation,
            _ when IsUnstorableText(exception) =>
                Problems.Create(ErrorCodes.InvalidArgument, "A value holds text PostgreSQL cannot store (a NUL character); nothing was changed."),
            _ when IsDatabaseUnreachable(exception) =>
                Problems.Create(ErrorCodes.ServiceUnavailable, "The database is unreachable; nothing was changed. Retry shortly."),
            _ => null,
        };

        if (problem is null)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            LogUnhandled(exception, Problems.TraceId(context));
            problem = Problems.Create(ErrorCodes.Unknown, "An unexpected error occurred. Quote the trace id when reporting it.");
        }

        context.Response.StatusCode = problem.Status ?? 500;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>22021 (NUL in text) and 22P05 (\u0000 in jsonb): the caller's value, not a bug.</summary>
    private static bool IsUnstorableText(Exception exception) =>
        exception is PostgresException { SqlState: "22021" or "22P05" }
        || exception.InnerException is { } inner && IsUnstorableText(inner);

    private static bool IsDatabaseUnreachable(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P01" or "57P02" or "57P03" }
        || exception.InnerException is { } inner && IsDatabaseUnreachable(inner);

    /// <summary>Malformed JSON, an unknown field or a wrong type, named by its path in the body.</summary>
    private static ProblemDetails JsonProblem(JsonException json)
    {
        var key = JsonKey(json.Path);
        if (json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return Problems.ForKey(ErrorCodes.InvalidArgument, key, "Unknown field.");
        }

        if (json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return Problems.ForKey(ErrorCodes.InvalidParameterType, key, "Wrong JSON type for this field.");
        }

        if (json is StrictEnumException)
        {
            return Problems.ForKey(ErrorCodes.InvalidArgument, key, json.Message);
        }

        return Problems.ForKey(ErrorCodes.InvalidArgument, key, "Malformed JSON: " + FirstSentence(json.Message));
    }

    private static string JsonKey(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body"
        : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
        : path.TrimStart('$');

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error (trace id {TraceId})")]
    private partial void LogUnhandled(Exception exception, string traceId);
}
