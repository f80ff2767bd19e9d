namespace Webhook.Domain.Querying;

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

    /// <summary>The operator's row of the operator table.</summary>
    public OperatorRow Row => QueryOperators.Of(Operator);

    public string KeyPath => $"{Path}.{KeyName}";

    public string ValuePath => $"{Path}.{ValueName}";

    public string OperatorPath => $"{Path}.{OperatorName}";

    public IEnumerable<JsonElement> ListValues =>
        Value.ValueKind == JsonValueKind.Array ? Value.EnumerateArray() : [];
}
