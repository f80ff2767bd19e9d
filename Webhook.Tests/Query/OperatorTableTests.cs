using System.Text.Json;
using Webhook.Domain.Querying;
using Webhook.Infrastructure.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>
/// Every <see cref="QueryOperator"/>, straight from the enum: its table name parses, the SQL builder turns it into a
/// predicate, and the query runs on real PostgreSQL with the expected rows. A new operator fails here until it has
/// a sample below; the table-driven specification of each operator is <see cref="SearchOperatorTests"/>.
/// </summary>
[Collection(QueryDatabaseCollection.Name)]
public sealed class OperatorTableTests(QueryDatabase db)
{
    // timediff samples resolve against this instant: now-26h is 2024-01-05T10:00:00Z, eps.ilon's created_at.
    private static readonly DateTimeOffset Now = new(2024, 1, 6, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Key, value (JSON) and expected names in default order, on <see cref="QueryDatabase.OpsRows"/>.</summary>
    private static readonly Dictionary<QueryOperator, (string Key, string Value, string Expected)> Samples = new()
    {
        [QueryOperator.Eq] = ("name", "\"alpha\"", "alpha"),
        [QueryOperator.Not] = ("name", "\"alpha\"", "Beta,delta%x,eps.ilon,gammaX1,gamma_1"),
        [QueryOperator.Lt] = ("requests.total", "5", "gammaX1,gamma_1"),
        [QueryOperator.Lte] = ("requests.total", "5", "delta%x,gammaX1,gamma_1"),
        [QueryOperator.Gt] = ("requests.total", "10", "Beta"),
        [QueryOperator.Gte] = ("requests.total", "10", "Beta,alpha"),
        [QueryOperator.Exists] = ("tags.env", "true", "Beta,alpha,eps.ilon,gamma_1"),
        [QueryOperator.Contain] = ("name", "\"GAMMA\"", "gammaX1,gamma_1"),
        [QueryOperator.NotContain] = ("name", "\"gamma\"", "Beta,alpha,delta%x,eps.ilon"),
        [QueryOperator.In] = ("name", """["alpha", "Beta"]""", "Beta,alpha"),
        [QueryOperator.NotIn] = ("name", """["alpha", "Beta"]""", "delta%x,eps.ilon,gammaX1,gamma_1"),
        [QueryOperator.ContainIn] = ("name", """["ALP", "eps"]""", "alpha,eps.ilon"),
        [QueryOperator.NotContainIn] = ("name", """["ALP", "eps"]""", "Beta,delta%x,gammaX1,gamma_1"),
        [QueryOperator.Regex] = ("name", "\"^gamma\"", "gammaX1,gamma_1"),
        [QueryOperator.RegexIn] = ("name", """["^gamma", "^b"]""", "Beta,gammaX1,gamma_1"),
        [QueryOperator.DatetimeLt] = ("created_at", "\"2024-01-02T10:00:00Z\"", "alpha"),
        [QueryOperator.DatetimeLte] = ("created_at", "\"2024-01-02T10:00:00Z\"", "Beta,alpha"),
        [QueryOperator.DatetimeGt] = ("created_at", "\"2024-01-05T10:00:00Z\"", "gammaX1"),
        [QueryOperator.DatetimeGte] = ("created_at", "\"2024-01-05T10:00:00Z\"", "eps.ilon,gammaX1"),
        [QueryOperator.TimediffLt] = ("created_at", "\"now-26h\"", "Beta,alpha,delta%x,gamma_1"),
        [QueryOperator.TimediffLte] = ("created_at", "\"now-26h\"", "Beta,alpha,delta%x,eps.ilon,gamma_1"),
        [QueryOperator.TimediffGt] = ("created_at", "\"now-26h\"", "gammaX1"),
        [QueryOperator.TimediffGte] = ("created_at", "\"now-26h\"", "eps.ilon,gammaX1"),
    };

    public static TheoryData<QueryOperator> EveryOperator => new(Enum.GetValues<QueryOperator>());

    [Theory]
    [MemberData(nameof(EveryOperator))]
    public async Task Operator_FromItsTableName_ParsesTranslatesAndRuns(QueryOperator op)
    {
        Assert.True(Samples.TryGetValue(op, out var sample), $"Add a sample for {op} to {nameof(Samples)}.");
        var name = QueryOperators.Of(op).Name;
        var json = $$"""{"filter": [{"k": "{{sample.Key}}", "v": {{sample.Value}}, "o": "{{name}}"}]}""";

        var query = QueryParser.Parse(JsonDocument.Parse(json).RootElement);
        var predicate = SqlFragments.Condition(query.Filter.Single(), new SchemaResolver(ResourceSchemas.Webhooks), new SqlBuilder(), Now);
        var translated = SearchTranslator.Translate(ResourceSchemas.Webhooks, [new ScopeFilter("domain_id", QueryDatabase.OpsDomain)], query, Now, QueryExecutor.DefaultMaxResults);
        var page = await db.SearchAsync(QueryDatabase.OpsDomain, json, executor: db.ExecutorAt(Now));

        Assert.Equal(op, query.Filter.Single().Operator);
        Assert.False(string.IsNullOrWhiteSpace(predicate));
        Assert.Contains(" WHERE ", translated.Page!.Sql, StringComparison.Ordinal);
        Assert.Equal(sample.Expected, SearchOperatorTests.Names(page));
    }
}
