namespace Webhook.Domain.Querying;

/// <summary>
/// A problem in a caller's query or statistics query: always a 400, naming the part that is wrong.
/// </summary>
public sealed class QueryException : Exception
{
    public const string InvalidQuery = "ERROR_INVALID_QUERY";
    public const string RequiredParameter = "ERROR_REQUIRED_PARAMETER";
    public const string OperatorValueType = "ERROR_OPERATOR_VALUE_TYPE";
    public const string OperatorListValueType = "ERROR_OPERATOR_LIST_VALUE_TYPE";
    public const string OperatorBooleanType = "ERROR_OPERATOR_BOOLEAN_TYPE";

    public QueryException(string code, string path, string message)
        : base($"{message} (at {path})")
    {
        Code = code;
        Path = path;
    }

    public string Code { get; }

    public string Path { get; }

    internal static QueryException Invalid(string path, string message) => new(InvalidQuery, path, message);
}
