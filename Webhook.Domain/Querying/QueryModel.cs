using System.Text.Json;

namespace Webhook.Domain.Querying;

public enum QueryOperator
{
    Eq, Not, Lt, Lte, Gt, Gte, Exists,
    Contain, NotContain, In, NotIn, ContainIn, NotContainIn, Regex, RegexIn,
    DatetimeLt, DatetimeLte, DatetimeGt, DatetimeGte,
    TimediffLt, TimediffLte, TimediffGt, TimediffGte,
}

/// <summary>
/// One validated condition. <see cref="Value"/> is the caller's JSON value (a detached clone);
/// <see cref="Instant"/> / <see cref="TimeDiff"/> hold the parsed value of the datetime_* / timediff_* operators.
/// <see cref="Path"/> names the condition (<c>query.filter[1]</c>); <see cref="KeyName"/>/<see cref="ValueName"/>/<see cref="OperatorName"/>
/// are the member names the caller used (short or long form) so errors can point at them.
/// </summary>
public sealed record Condition(
    string Key,
    QueryOperator Operator,
    JsonElement Value,
    string Path,
    string KeyName = "key",
    string ValueName = "value",
    string OperatorName = "operator")
{
    public DateTimeOffset? Instant { get; init; }

    public TimeDiff? TimeDiff { get; init; }

    public string KeyPath => $"{Path}.{KeyName}";

    public string ValuePath => $"{Path}.{ValueName}";

    public string OperatorPath => $"{Path}.{OperatorName}";

    public IEnumerable<JsonElement> ListValues =>
        Value.ValueKind == JsonValueKind.Array ? Value.EnumerateArray() : [];
}

public sealed record SortKey(string Key, bool Desc, string Path);

public sealed record PageRequest(long Start, long Limit)
{
    public static PageRequest None { get; } = new(1, 0);

    /// <summary>Rows to skip: <c>start</c> is 1-based and 0 counts as 1.</summary>
    public long Offset => Start <= 1 ? 0 : Start - 1;
}

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

public sealed record StatisticsQuery(
    IReadOnlyList<Condition> Filter,
    IReadOnlyList<Condition> FilterOr,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<StatStage> Stages,
    PageRequest Page,
    string? Distinct);

public abstract record StatStage(string Path);

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

public sealed record CountStage(string Name, string Path) : StatStage(Path);

public sealed record SortStage(IReadOnlyList<SortKey> Keys, string Path) : StatStage(Path);

public enum ProjectOperator { None, Size, Sum, ArrayToObject, ObjectToArray }

public sealed record ProjectField(string Key, string Name, ProjectOperator Operator, string Path);

public sealed record ProjectStage(IReadOnlyList<ProjectField> Fields, bool ExcludeKeys, string Path) : StatStage(Path);

public sealed record UnwindStage(string FieldPath, string Path) : StatStage(Path);

public sealed record LimitStage(long Count, string Path) : StatStage(Path);

public sealed record SkipStage(long Count, string Path) : StatStage(Path);
