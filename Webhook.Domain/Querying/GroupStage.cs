namespace Webhook.Domain.Querying;

public sealed record GroupStage(IReadOnlyList<GroupKey> Keys, IReadOnlyList<GroupField> Fields, string Path) : StatStage(Path);

public sealed record GroupKey(string Key, string Name, DateFormat? DateFormat, string Path);

public enum GroupOperator { Count, Sum, Average, Max, Min, First, Last, Push, AddToSet, MergeObjects }

public sealed record PushField(string Key, string Name, string Path);

public sealed record GroupField(
    string? Key,
    string Name,
    GroupOperator Operator,
    IReadOnlyList<PushField> Fields,
    IReadOnlyList<Condition> Conditions,
    string Path);
