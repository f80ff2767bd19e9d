namespace Webhook.Domain.Querying;

public sealed record PageRequest(long Start, long Limit)
{
    public static PageRequest None { get; } = new(1, 0);

    /// <summary>Rows to skip: <c>start</c> is 1-based and 0 counts as 1.</summary>
    public long Offset => Start <= 1 ? 0 : Start - 1;
}
