namespace Webhook.Domain.Querying;

/// <summary>A condition's operator. Its name, value shape and SQL shape are one row of <see cref="QueryOperators"/>.</summary>
public enum QueryOperator
{
    Eq, Not, Lt, Lte, Gt, Gte, Exists,
    Contain, NotContain, In, NotIn, ContainIn, NotContainIn, Regex, RegexIn,
    DatetimeLt, DatetimeLte, DatetimeGt, DatetimeGte,
    TimediffLt, TimediffLte, TimediffGt, TimediffGte,
}
