namespace Webhook.Domain.Querying;

/// <summary>A validated statistics query: the search part, then either aggregate stages or one distinct key.</summary>
public sealed record StatisticsQuery(
    IReadOnlyList<Condition> Filter,
    IReadOnlyList<Condition> FilterOr,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<StatStage> Stages,
    PageRequest Page,
    string? Distinct);
