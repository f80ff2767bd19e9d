using System.Text.Json;
using Webhook.Domain.Common;
using Webhook.Domain.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>The pure parser: shapes it accepts, and every error kind with its code and path.</summary>
public sealed class QueryParserTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Parse_NullOrJsonNull_IsTheEmptyQuery()
    {
        Assert.Same(Webhook.Domain.Querying.Query.Empty, QueryParser.Parse(null));
        Assert.Same(Webhook.Domain.Querying.Query.Empty, QueryParser.Parse(Json("null")));
        Assert.Empty(QueryParser.Parse(Json("{}")).Filter);
    }

    [Fact]
    public void ParseOnly_WithKeys_ProjectsJustThoseAndRejectsMalformedOnes()
    {
        var query = QueryParser.ParseOnly(["name", "plugin_info.plugin_id"]);

        Assert.Equal(["name", "plugin_info.plugin_id"], query.Only);
        Assert.Equal(Webhook.Domain.Querying.Query.Empty with { Only = query.Only }, query);
        var error = Assert.Throws<QueryException>(() => QueryParser.ParseOnly(["name", "tags..x"]));
        Assert.Equal("query.only[1]", error.Path);
    }

    [Fact]
    public void Parse_FullQuery_BuildsTheTree()
    {
        var query = QueryParser.Parse(Json("""
            {"filter": [{"k": "state", "v": "ENABLED", "o": "eq"}, {"key": "tags.env", "value": ["a", null], "operator": "in"}],
             "filter_or": [{"key": "name", "value": "prom", "operator": "contain"}],
             "sort": {"key": "name", "desc": true}, "page": {"start": 3, "limit": 20},
             "only": ["webhook_id", "plugin_info.plugin_id"], "minimal": true, "count_only": false, "keyword": " prom  zab prom "}
            """));

        Assert.Equal(2, query.Filter.Count);
        Assert.Equal(("state", QueryOperator.Eq, "ENABLED"), (query.Filter[0].Key, query.Filter[0].Operator, query.Filter[0].Value.GetString()));
        Assert.Equal("query.filter[0].o", query.Filter[0].OperatorPath);
        Assert.Equal("query.filter[1].value", query.Filter[1].ValuePath);
        Assert.Equal(QueryOperator.In, query.Filter[1].Operator);
        Assert.Equal(QueryOperator.Contain, Assert.Single(query.FilterOr).Operator);
        Assert.Equal(new SortKey("name", true, "query.sort"), Assert.Single(query.Sort));
        Assert.Equal(new PageRequest(3, 20), query.Page);
        Assert.Equal(2, query.Page.Offset);
        Assert.Equal(["webhook_id", "plugin_info.plugin_id"], query.Only);
        Assert.True(query.Minimal);
        Assert.False(query.CountOnly);
        Assert.Equal(["prom", "zab"], query.Keywords);
    }

    public static TheoryData<string, string[]> SortForms => new()
    {
        { """{"key": "name"}""", ["name:asc"] },
        { """[{"key": "state", "desc": true}, {"key": "name"}]""", ["state:desc", "name:asc"] },
        { """{"keys": [{"key": "state"}, {"key": "name", "desc": true}]}""", ["state:asc", "name:desc"] },
        { """[]""", [] },
    };

    [Theory]
    [MemberData(nameof(SortForms))]
    public void Parse_SortForms_GiveKeysInOrder(string sort, string[] expected)
    {
        var query = QueryParser.Parse(Json($$"""{"sort": {{sort}}}"""));

        Assert.Equal(expected, query.Sort.Select(s => $"{s.Key}:{(s.Desc ? "desc" : "asc")}"));
    }

    [Fact]
    public void Parse_PageStartZero_CountsAsOne()
    {
        Assert.Equal(0, QueryParser.Parse(Json("""{"page": {"start": 0, "limit": 5}}""")).Page.Offset);
    }

    [Fact]
    public void Parse_DatetimeAndTimediff_AreParsed()
    {
        var query = QueryParser.Parse(Json("""
            {"filter": [{"k": "created_at", "v": "2024-02-01T10:00:00+09:00", "o": "datetime_gt"},
                        {"k": "created_at", "v": "2024-02-01", "o": "datetime_lt"},
                        {"k": "created_at", "v": "now/d - 2h", "o": "timediff_gte"}]}
            """));

        Assert.Equal(new DateTimeOffset(2024, 2, 1, 1, 0, 0, TimeSpan.Zero), query.Filter[0].Instant);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), query.Filter[1].Instant);
        var now = new DateTimeOffset(2024, 3, 6, 15, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 22, 0, 0, TimeSpan.Zero), query.Filter[2].TimeDiff!.Resolve(now));
    }

    public static TheoryData<string, string> TimeDiffs => new()
    {
        { "now", "2024-03-06T15:30:00Z" },                 // a Wednesday
        { "now/d", "2024-03-06T00:00:00Z" },
        { "now/w", "2024-03-04T00:00:00Z" },
        { "now/m", "2024-03-01T00:00:00Z" },
        { "now-1d", "2024-03-05T15:30:00Z" },
        { "now + 90s", "2024-03-06T15:31:30Z" },
        { "now/w-1w", "2024-02-26T00:00:00Z" },
        { "now-30m", "2024-03-06T15:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(TimeDiffs))]
    public void TimeDiff_Resolve_AnchorsInUtc(string text, string expected)
    {
        var now = new DateTimeOffset(2024, 3, 6, 15, 30, 0, TimeSpan.Zero);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TimeDiff.Parse(text, "p").Resolve(now));
    }

    [Fact]
    public void ParseStatistics_FullPipeline_BuildsStages()
    {
        var query = QueryParser.ParseStatistics(Json("""
            {"filter": [], "keyword": "x", "page": {"limit": 10}, "distinct": "state",
             "aggregate": [
               {"group": {"keys": [{"key": "created_at", "name": "m", "date_format": "%Y-%m"}],
                          "fields": [{"name": "n", "operator": "count", "conditions": [{"k": "state", "v": "ENABLED", "o": "eq"}]},
                                     {"name": "rows", "operator": "push", "fields": [{"key": "name", "name": "name"}]}]}},
               {"count": {"name": "c"}}, {"sort": [{"key": "m", "desc": true}]}, {"project": {"fields": [{"key": "rows", "name": "s", "operator": "size"}], "exclude_keys": true}},
               {"unwind": {"path": "rows"}}, {"limit": 5}, {"skip": 1}]}
            """));

        Assert.Null(query.Distinct);
        Assert.Equal(
            [typeof(GroupStage), typeof(CountStage), typeof(SortStage), typeof(ProjectStage), typeof(UnwindStage), typeof(LimitStage), typeof(SkipStage)],
            query.Stages.Select(s => s.GetType()));
        var group = (GroupStage)query.Stages[0];
        Assert.Equal(DateFormatKind.Pattern, group.Keys[0].DateFormat!.Kind);
        Assert.Single(group.Fields[0].Conditions);
        Assert.Equal("query.aggregate[0].group.fields[0].conditions[0]", group.Fields[0].Conditions[0].Path);
        Assert.Equal(GroupOperator.Push, group.Fields[1].Operator);
        Assert.True(((ProjectStage)query.Stages[3]).ExcludeKeys);
        Assert.Equal(5, ((LimitStage)query.Stages[5]).Count);
    }

    [Fact]
    public void ParseStatistics_DistinctOnly_KeepsDistinct()
    {
        Assert.Equal("tags.env", QueryParser.ParseStatistics(Json("""{"distinct": "tags.env"}""")).Distinct);
    }

    public static TheoryData<string, string, string> QueryErrors => new()
    {
        // value types
        { """{"filter": [{"k": "name", "v": ["a"], "o": "eq"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": {"a": 1}, "o": "eq"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": ["a"], "o": "not"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": null, "o": "gt"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": [1], "o": "lte"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": 1, "o": "contain"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": ["a"], "o": "not_contain"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": ["a"], "o": "regex"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": [["a"]], "o": "in"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v[0]" },
        { """{"filter": [{"k": "name", "v": ["a", 1], "o": "contain_in"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v[1]" },
        { """{"filter": [{"k": "created_at", "v": ["2024-01-01"], "o": "datetime_gt"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "created_at", "v": 5, "o": "timediff_gt"}]}""", ErrorCodes.OperatorValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "a", "o": "eq"}, {"k": "name", "v": "a", "o": "in"}]}""", ErrorCodes.OperatorListValueType, "query.filter[1].v" },
        { """{"filter": [{"k": "name", "v": null, "o": "not_in"}]}""", ErrorCodes.OperatorListValueType, "query.filter[0].v" },
        { """{"filter_or": [{"key": "name", "value": "a", "operator": "contain_in"}]}""", ErrorCodes.OperatorListValueType, "query.filter_or[0].value" },
        { """{"filter": [{"k": "name", "v": "a", "o": "not_contain_in"}]}""", ErrorCodes.OperatorListValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "^a", "o": "regex_in"}]}""", ErrorCodes.OperatorListValueType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "yes", "o": "exists"}]}""", ErrorCodes.OperatorBooleanType, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "o": "exists"}]}""", ErrorCodes.OperatorBooleanType, "query.filter[0].v" },
        // invalid query (ours: SpaceONE answers 500)
        { """{"filter": [{"k": "name", "v": "a", "o": "eq"}, {"k": "name", "v": "a", "o": "like"}]}""", ErrorCodes.InvalidQuery, "query.filter[1].o" },
        { """{"filter": [{"k": "name", "v": "a", "o": "EQ"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].o" },
        { """{"filter": [{"k": "name", "v": "a", "o": 1}]}""", ErrorCodes.InvalidQuery, "query.filter[0].o" },
        { """{"filter": [{"key": "name", "value": "a"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].operator" },
        { """{"filter": [{"v": "a", "o": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].k" },
        { """{"filter": [{"value": "a", "operator": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].key" },
        { """{"filter": [{"k": "", "v": "a", "o": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].k" },
        { """{"filter": [{"k": "tags..x", "v": "a", "o": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].k" },
        { """{"filter": [{"k": 5, "v": "a", "o": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].k" },
        { """{"filter": [{"k": "name", "key": "name", "v": "a", "o": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].k" },
        { """{"filter": [{"k": "name", "v": "a", "o": "eq", "x": 1}]}""", ErrorCodes.InvalidQuery, "query.filter[0].x" },
        { """{"filter": [{"k": "name", "v": "(", "o": "regex"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "(?<n>a)", "o": "regex"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "(?>a)", "o": "regex"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "\\p{L}", "o": "regex"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "a(?i)b", "o": "regex"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": ["^a", "[z-a]"], "o": "regex_in"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v[1]" },
        { """{"filter": [{"k": "created_at", "v": "yesterday", "o": "datetime_gt"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "created_at", "v": "2024-13-01", "o": "datetime_lt"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "created_at", "v": "2024-02-30T10:00:00Z", "o": "datetime_lte"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "created_at", "v": "now-1y", "o": "timediff_lt"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "created_at", "v": "now/x", "o": "timediff_lt"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "created_at", "v": "today", "o": "timediff_gte"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "created_at", "v": "now-99999999999w", "o": "timediff_gte"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "a\u0000b", "o": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": [{"k": "name", "v": "\ud800", "o": "eq"}]}""", ErrorCodes.InvalidQuery, "query.filter[0].v" },
        { """{"filter": {"k": "name"}}""", ErrorCodes.InvalidQuery, "query.filter" },
        { """{"filter": ["name"]}""", ErrorCodes.InvalidQuery, "query.filter[0]" },
        { """{"page": {"start": -1}}""", ErrorCodes.InvalidQuery, "query.page.start" },
        { """{"page": {"limit": -5}}""", ErrorCodes.InvalidQuery, "query.page.limit" },
        { """{"page": {"limit": "10"}}""", ErrorCodes.InvalidQuery, "query.page.limit" },
        { """{"page": {"limit": 1.5}}""", ErrorCodes.InvalidQuery, "query.page.limit" },
        { """{"page": 3}""", ErrorCodes.InvalidQuery, "query.page" },
        { """{"sort": {"desc": true}}""", ErrorCodes.InvalidQuery, "query.sort.key" },
        { """{"sort": [{"key": "name"}, {"desc": true}]}""", ErrorCodes.InvalidQuery, "query.sort[1].key" },
        { """{"sort": {"key": "name", "desc": "yes"}}""", ErrorCodes.InvalidQuery, "query.sort.desc" },
        { """{"sort": {"key": "name", "keys": [{"key": "state"}]}}""", ErrorCodes.InvalidQuery, "query.sort" },
        { """{"sort": "name"}""", ErrorCodes.InvalidQuery, "query.sort" },
        { """{"only": [1]}""", ErrorCodes.InvalidQuery, "query.only[0]" },
        { """{"only": "name"}""", ErrorCodes.InvalidQuery, "query.only" },
        { """{"minimal": "yes"}""", ErrorCodes.InvalidQuery, "query.minimal" },
        { """{"count_only": 1}""", ErrorCodes.InvalidQuery, "query.count_only" },
        { """{"keyword": 5}""", ErrorCodes.InvalidQuery, "query.keyword" },
        { """{"fliter": []}""", ErrorCodes.InvalidQuery, "query.fliter" },
        { """[]""", ErrorCodes.InvalidQuery, "query" },
    };

    [Theory]
    [MemberData(nameof(QueryErrors))]
    public void Parse_InvalidQuery_ThrowsWithCodeAndPath(string json, string code, string path)
    {
        var ex = Assert.Throws<QueryException>(() => QueryParser.Parse(Json(json)));

        Assert.Equal((code, path), (ex.Code, ex.Path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CustomPath_PrefixesErrorPaths()
    {
        var ex = Assert.Throws<QueryException>(() => QueryParser.Parse(Json("""{"filter": [{"k": "a", "v": 1, "o": "?"}]}"""), "body.query"));

        Assert.Equal("body.query.filter[0].o", ex.Path);
    }

    public static TheoryData<string, string, string> StatisticsErrors => new()
    {
        { """{}""", ErrorCodes.RequiredParameter, "query.aggregate" },
        { """null""", ErrorCodes.RequiredParameter, "query.aggregate" },
        { """{"aggregate": [], "filter": []}""", ErrorCodes.RequiredParameter, "query.aggregate" },
        { """{"aggregate": null, "distinct": null}""", ErrorCodes.RequiredParameter, "query.aggregate" },
        { """{"aggregate": {"count": {"name": "n"}}}""", ErrorCodes.InvalidQuery, "query.aggregate" },
        { """{"aggregate": [{"bogus": {}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0]" },
        { """{"aggregate": [{"count": {"name": "n"}, "limit": 1}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0]" },
        { """{"aggregate": [{}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0]" },
        { """{"aggregate": ["count"]}""", ErrorCodes.InvalidQuery, "query.aggregate[0]" },
        { """{"aggregate": [{"count": {}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].count.name" },
        { """{"aggregate": [{"count": {"name": ""}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].count.name" },
        { """{"aggregate": [{"count": {"name": 1}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].count.name" },
        { """{"aggregate": [{"group": {}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group" },
        { """{"aggregate": [{"group": {"keys": [{"key": "state"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.keys[0].name" },
        { """{"aggregate": [{"group": {"keys": [{"name": "s"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.keys[0].key" },
        { """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "d", "date_format": "%Q"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.keys[0].date_format" },
        { """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "d", "date_format": "%"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.keys[0].date_format" },
        { """{"aggregate": [{"group": {"keys": [{"key": "created_at", "name": "d", "date_format": ""}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.keys[0].date_format" },
        { """{"aggregate": [{"group": {"fields": [{"name": "n", "operator": "median"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].operator" },
        { """{"aggregate": [{"group": {"fields": [{"name": "n"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].operator" },
        { """{"aggregate": [{"group": {"fields": [{"operator": "count"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].name" },
        { """{"aggregate": [{"group": {"fields": [{"name": "s", "operator": "sum"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].key" },
        { """{"aggregate": [{"group": {"fields": [{"name": "p", "operator": "push"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].key" },
        { """{"aggregate": [{"group": {"fields": [{"name": "p", "operator": "push", "fields": [{"key": "name"}]}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].fields[0].name" },
        { """{"aggregate": [{"group": {"fields": [{"key": "name", "name": "m", "operator": "max", "fields": []}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].fields" },
        { """{"aggregate": [{"group": {"fields": [{"key": "name", "name": "m", "operator": "max", "conditions": []}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].conditions" },
        { """{"aggregate": [{"group": {"fields": [{"name": "n", "operator": "count", "conditions": [{"key": "name", "value": "a", "operator": "contain"}]}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].conditions[0].operator" },
        { """{"aggregate": [{"group": {"fields": [{"name": "n", "operator": "count", "conditions": [{"key": "name", "value": ["a"], "operator": "eq"}]}]}}]}""", ErrorCodes.OperatorValueType, "query.aggregate[0].group.fields[0].conditions[0].value" },
        { """{"aggregate": [{"group": {"keys": [{"key": "state", "name": "n"}], "fields": [{"name": "n", "operator": "count"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].group.fields[0].name" },
        { """{"aggregate": [{"sort": []}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].sort" },
        { """{"aggregate": [{"sort": {"desc": true}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].sort.key" },
        { """{"aggregate": [{"limit": -1}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].limit" },
        { """{"aggregate": [{"skip": "1"}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].skip" },
        { """{"aggregate": [{"limit": null}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].limit" },
        { """{"aggregate": [{"project": {"fields": [{"key": "a", "name": "a", "operator": "len"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].project.fields[0].operator" },
        { """{"aggregate": [{"project": {"fields": [{"key": "a"}]}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].project.fields[0].name" },
        { """{"aggregate": [{"project": {"exclude_keys": "no"}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].project.exclude_keys" },
        { """{"aggregate": [{"unwind": {}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].unwind.path" },
        { """{"aggregate": [{"unwind": {"path": "a", "x": 1}}]}""", ErrorCodes.InvalidQuery, "query.aggregate[0].unwind.x" },
        { """{"distinct": 5}""", ErrorCodes.InvalidQuery, "query.distinct" },
        { """{"distinct": "state", "page": {"start": -2}}""", ErrorCodes.InvalidQuery, "query.page.start" },
        { """{"distinct": "state", "sort": {}}""", ErrorCodes.InvalidQuery, "query.sort" },
    };

    [Theory]
    [MemberData(nameof(StatisticsErrors))]
    public void ParseStatistics_Invalid_ThrowsWithCodeAndPath(string json, string code, string path)
    {
        var ex = Assert.Throws<QueryException>(() => QueryParser.ParseStatistics(Json(json)));

        Assert.Equal((code, path), (ex.Code, ex.Path));
    }

    public static TheoryData<string> AcceptedRegexes => new()
    {
        "^[a-z]+$", "(?<=a)b", "(?<!a)b", "(?=a)", "(?:ab)+", "(?i)abc", @"\d{2,3}", @"a\.b", "[[:alpha:]]",
    };

    [Theory]
    [MemberData(nameof(AcceptedRegexes))]
    public void RegexCheck_PostgresCompatible_IsAccepted(string pattern)
    {
        RegexCheck.Validate(pattern, "p");
    }
}
