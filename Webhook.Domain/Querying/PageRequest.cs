namespace Webhook.Domain.Querying;

public sealed record PageRequest(long Start, long Limit)
{
    public static PageRequest None { get; } = new(1, 0);

    /// <summary>Rows to skip: <c>start</c> is 1-based and 0 counts as 1.</summary>
    public long Offset => Start <= 1 ? 0 : Start - 1;

    /// <summary>Rows one page may return: the server's cap when no limit (0) or a larger one is asked for.</summary>
    public long CappedLimit(long maxResults) => Limit > 0 && Limit < maxResults ? Limit : maxResults;
}
