namespace Webhook.Domain.Querying;

/// <summary>
/// The operator table: one row per <see cref="QueryOperator"/>, read by the parser (names, value shapes) and by the
/// SQL builder (SQL shapes). A new operator is a new enum value and a new row here; a new value or SQL shape also
/// needs its arm in the parser's or the SQL builder's exhaustive switch.
/// </summary>
public static class QueryOperators
{
    /// <summary>In the order error messages list them.</summary>
    public static IReadOnlyList<OperatorRow> Rows { get; } =
    [
        new(QueryOperator.Eq, "eq", ValueShape.ScalarOrNull, SqlShape.Equal, InGroupConditions: true),
        new(QueryOperator.Not, "not", ValueShape.ScalarOrNull, SqlShape.Equal, Negated: true, InGroupConditions: true),
        new(QueryOperator.Lt, "lt", ValueShape.Scalar, SqlShape.Compare, Comparison.Lt, InGroupConditions: true),
        new(QueryOperator.Lte, "lte", ValueShape.Scalar, SqlShape.Compare, Comparison.Lte, InGroupConditions: true),
        new(QueryOperator.Gt, "gt", ValueShape.Scalar, SqlShape.Compare, Comparison.Gt, InGroupConditions: true),
        new(QueryOperator.Gte, "gte", ValueShape.Scalar, SqlShape.Compare, Comparison.Gte, InGroupConditions: true),
        new(QueryOperator.Exists, "exists", ValueShape.Boolean, SqlShape.Exists),
        new(QueryOperator.Contain, "contain", ValueShape.Text, SqlShape.Contain),
        new(QueryOperator.NotContain, "not_contain", ValueShape.Text, SqlShape.Contain, Negated: true),
        new(QueryOperator.In, "in", ValueShape.ScalarList, SqlShape.In),
        new(QueryOperator.NotIn, "not_in", ValueShape.ScalarList, SqlShape.In, Negated: true),
        new(QueryOperator.ContainIn, "contain_in", ValueShape.TextList, SqlShape.ContainAny),
        new(QueryOperator.NotContainIn, "not_contain_in", ValueShape.TextList, SqlShape.ContainAny, Negated: true),
        new(QueryOperator.Regex, "regex", ValueShape.Pattern, SqlShape.Regex),
        new(QueryOperator.RegexIn, "regex_in", ValueShape.PatternList, SqlShape.RegexAny),
        new(QueryOperator.DatetimeLt, "datetime_lt", ValueShape.Instant, SqlShape.CompareInstant, Comparison.Lt),
        new(QueryOperator.DatetimeLte, "datetime_lte", ValueShape.Instant, SqlShape.CompareInstant, Comparison.Lte),
        new(QueryOperator.DatetimeGt, "datetime_gt", ValueShape.Instant, SqlShape.CompareInstant, Comparison.Gt),
        new(QueryOperator.DatetimeGte, "datetime_gte", ValueShape.Instant, SqlShape.CompareInstant, Comparison.Gte),
        new(QueryOperator.TimediffLt, "timediff_lt", ValueShape.TimeDiff, SqlShape.CompareInstant, Comparison.Lt),
        new(QueryOperator.TimediffLte, "timediff_lte", ValueShape.TimeDiff, SqlShape.CompareInstant, Comparison.Lte),
        new(QueryOperator.TimediffGt, "timediff_gt", ValueShape.TimeDiff, SqlShape.CompareInstant, Comparison.Gt),
        new(QueryOperator.TimediffGte, "timediff_gte", ValueShape.TimeDiff, SqlShape.CompareInstant, Comparison.Gte),
    ];

    private static readonly Dictionary<string, OperatorRow> ByName = Rows.ToDictionary(r => r.Name, StringComparer.Ordinal);

    // A missing row would otherwise surface only when someone uses the operator; fail when the table is first read.
    private static readonly OperatorRow[] ByOperator = Enum.GetValues<QueryOperator>()
        .Select(op => Rows.SingleOrDefault(r => r.Operator == op)
                      ?? throw new InvalidOperationException($"QueryOperators has no row for {op}."))
        .ToArray();

    /// <summary>The names callers may write, in table order.</summary>
    public static IEnumerable<string> Names => Rows.Select(r => r.Name);

    public static bool TryFind(string name, out OperatorRow row) => ByName.TryGetValue(name, out row!);

    public static OperatorRow Of(QueryOperator op) => ByOperator[(int)op];
}
