namespace Webhook.Domain.Querying;

/// <summary>A validated search query (the <c>query</c> of list and search routes).</summary>
public sealed record Query(
    IReadOnlyList<Condition> Filter,
    IReadOnlyList<Condition> FilterOr,
    IReadOnlyList<SortKey> Sort,
    PageRequest Page,
    IReadOnlyList<string> Only,
    bool Minimal,
    bool CountOnly,
    IReadOnlyList<string> Keywords)
{
    public static Query Empty { get; } = new([], [], [], PageRequest.None, [], false, false, []);
}
