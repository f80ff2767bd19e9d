using Webhook.Domain.Common;

namespace Webhook.Domain.Querying;

/// <summary>
/// A problem in a caller's query or statistics query: always a 400, naming the part that is wrong.
/// <see cref="Code"/> is one of <see cref="ErrorCodes"/>.
/// </summary>
public sealed class QueryException : Exception
{
    public QueryException(string code, string path, string message)
        : base($"{message} (at {path})")
    {
        Code = code;
        Path = path;
    }

    public string Code { get; }

    public string Path { get; }

    internal static QueryException Invalid(string path, string message) => new(ErrorCodes.InvalidQuery, path, message);
}
