using System.Text.RegularExpressions;
using Webhook.Domain.Querying;

namespace Webhook.Tests.Domain.Querying;

/// <summary>The operator table is complete and consistent: what the parser and the SQL builder rely on.</summary>
public sealed class QueryOperatorsTests
{
    public static TheoryData<QueryOperator> EveryOperator => new(Enum.GetValues<QueryOperator>());

    [Theory]
    [MemberData(nameof(EveryOperator))]
    public void Of_EveryOperator_HasExactlyOneRowNamedInSnakeCase(QueryOperator op)
    {
        var rows = QueryOperators.Rows.Where(r => r.Operator == op).ToList();

        var row = Assert.Single(rows);
        Assert.Same(row, QueryOperators.Of(op));
        Assert.Equal(Regex.Replace(op.ToString(), "(?<!^)([A-Z])", "_$1").ToLowerInvariant(), row.Name);
        Assert.True(QueryOperators.TryFind(row.Name, out var found));
        Assert.Same(row, found);
    }

    [Theory]
    [MemberData(nameof(EveryOperator))]
    public void Row_ComparisonIsGiven_ExactlyForComparingShapes(QueryOperator op)
    {
        var row = QueryOperators.Of(op);

        var compares = row.Sql is SqlShape.Compare or SqlShape.CompareInstant;

        Assert.Equal(compares, row.Comparison is not null);
        Assert.False(compares && row.Negated, $"{row.Name}: a negated comparison is the opposite comparison.");
    }

    [Fact]
    public void Names_AreUniqueAndInEnumOrder()
    {
        var names = QueryOperators.Names.ToList();

        Assert.Equal(names.Distinct(StringComparer.Ordinal).Count(), names.Count);
        Assert.Equal(Enum.GetValues<QueryOperator>(), QueryOperators.Rows.Select(r => r.Operator));
    }

    [Fact]
    public void Names_ForGroupConditions_AreTheEqualityAndOrderedComparisons()
    {
        var allowed = QueryOperators.Rows.Where(r => r.InGroupConditions).Select(r => r.Name);

        Assert.Equal(["eq", "not", "lt", "lte", "gt", "gte"], allowed);
    }

    [Theory]
    [MemberData(nameof(EveryOperator))]
    public void Parse_OperatorOutsideGroupConditions_IsRefusedInGroupConditions(QueryOperator op)
    {
        var row = QueryOperators.Of(op);
        var json = $$$"""{"aggregate": [{"group": {"fields": [{"name": "n", "operator": "count", "conditions": [{"key": "name", "value": "a", "operator": "{{{row.Name}}}"}]}]}}]}""";

        var error = Record.Exception(() => QueryParser.ParseStatistics(JsonDocument.Parse(json).RootElement));

        // Inside group conditions only the operators marked so get as far as checking their value.
        Assert.Equal(!row.InGroupConditions, error is QueryException { Path: "query.aggregate[0].group.fields[0].conditions[0].operator" });
    }
}
