namespace Webhook.Domain.Querying;

/// <summary>What a condition's value must be; the parser checks it and keeps the parsed form on the condition.</summary>
public enum ValueShape
{
    /// <summary>A string, number, boolean or null.</summary>
    ScalarOrNull,

    /// <summary>A string, number or boolean.</summary>
    Scalar,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A string.</summary>
    Text,

    /// <summary>A string that is a regular expression of the supported subset.</summary>
    Pattern,

    /// <summary>A list of strings, numbers, booleans or nulls.</summary>
    ScalarList,

    /// <summary>A list of strings.</summary>
    TextList,

    /// <summary>A list of regular expressions.</summary>
    PatternList,

    /// <summary>An ISO 8601 instant, kept as <see cref="Condition.Instant"/>.</summary>
    Instant,

    /// <summary>A timediff expression (<c>now-1d</c>), kept as <see cref="Condition.TimeDiff"/>.</summary>
    TimeDiff,
}

/// <summary>The kind of SQL predicate an operator becomes; the SQL builder has one fragment per shape.</summary>
public enum SqlShape
{
    /// <summary>Equality typed like the field; null means missing or null.</summary>
    Equal,

    /// <summary>An ordered comparison between values of the field's type.</summary>
    Compare,

    /// <summary>The field is present (true) or missing (false).</summary>
    Exists,

    /// <summary>Case-insensitive substring of a string field.</summary>
    Contain,

    /// <summary>Case-insensitive substring, any of a list.</summary>
    ContainAny,

    /// <summary>Equal to any of a list.</summary>
    In,

    /// <summary>Case-insensitive regular expression match.</summary>
    Regex,

    /// <summary>Regular expression match, any of a list.</summary>
    RegexAny,

    /// <summary>An ordered comparison of a date-time field with an instant (given, or resolved from a timediff).</summary>
    CompareInstant,
}

/// <summary>The comparison of <see cref="SqlShape.Compare"/> and <see cref="SqlShape.CompareInstant"/>.</summary>
public enum Comparison { Lt, Lte, Gt, Gte }

/// <summary>
/// One operator of the query language: the name callers write, the value it takes and the SQL it becomes.
/// <paramref name="Negated"/> operators match where the positive form does not (a missing field included);
/// <paramref name="InGroupConditions"/> operators may be used in a group field's <c>conditions</c>.
/// </summary>
public sealed record OperatorRow(
    QueryOperator Operator,
    string Name,
    ValueShape Value,
    SqlShape Sql,
    Comparison? Comparison = null,
    bool Negated = false,
    bool InGroupConditions = false);
