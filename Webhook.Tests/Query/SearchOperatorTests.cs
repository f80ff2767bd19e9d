using Webhook.Infrastructure.Querying;
using Xunit;

namespace Webhook.Tests.Query;

/// <summary>
/// Every operator against real PostgreSQL, on <see cref="QueryDatabase.OpsRows"/>. Expected names are listed in the
/// default order (name, ordinal: "Beta" before "alpha", "gammaX1" before "gamma_1").
/// </summary>
[Collection(QueryDatabaseCollection.Name)]
public sealed class SearchOperatorTests(QueryDatabase db)
{
    private const string All = "Beta,alpha,delta%x,eps.ilon,gammaX1,gamma_1";

    public static TheoryData<string, string> FilterCases => new()
    {
        // eq: typed columns, jsonb strings vs numbers, null = missing or null, booleans
        { """{"k": "state", "v": "ENABLED", "o": "eq"}""", "alpha,delta%x,gammaX1,gamma_1" },
        { """{"k": "name", "v": "beta", "o": "eq"}""", "" },
        { """{"k": "name", "v": null, "o": "eq"}""", "" },
        { """{"k": "tags.env", "v": "prod", "o": "eq"}""", "alpha,eps.ilon" },
        { """{"k": "tags.n", "v": 10, "o": "eq"}""", "Beta" },
        { """{"k": "tags.n", "v": "10", "o": "eq"}""", "gamma_1" },
        { """{"k": "tags.n", "v": 10.0, "o": "eq"}""", "Beta" },
        { """{"k": "tags.env", "v": null, "o": "eq"}""", "delta%x,gammaX1" },
        { """{"k": "tags.flag", "v": true, "o": "eq"}""", "alpha" },
        { """{"k": "requests.total", "v": 10, "o": "eq"}""", "alpha" },
        { """{"k": "requests.total", "v": "10", "o": "eq"}""", "" },
        { """{"k": "plugin_info.plugin_id", "v": "plugin-a", "o": "eq"}""", "alpha,eps.ilon,gamma_1" },
        { """{"k": "created_at", "v": "2024-01-03T10:00:00Z", "o": "eq"}""", "gamma_1" },
        { """{"k": "created_at", "v": "2024-01-03T19:00:00+09:00", "o": "eq"}""", "gamma_1" },
        { """{"k": "tags", "v": null, "o": "eq"}""", "" },
        // not: a missing field matches; not null means present and not null
        { """{"k": "state", "v": "ENABLED", "o": "not"}""", "Beta,eps.ilon" },
        { """{"k": "tags.env", "v": "prod", "o": "not"}""", "Beta,delta%x,gammaX1,gamma_1" },
        { """{"k": "tags.env", "v": null, "o": "not"}""", "Beta,alpha,eps.ilon,gamma_1" },
        { """{"k": "requests.total", "v": "10", "o": "not"}""", All },
        // ordered comparisons: same-typed values only, strings by bytes
        { """{"k": "requests.total", "v": 5, "o": "lt"}""", "gammaX1,gamma_1" },
        { """{"k": "requests.total", "v": 5, "o": "lte"}""", "delta%x,gammaX1,gamma_1" },
        { """{"k": "requests.total", "v": 10, "o": "gt"}""", "Beta" },
        { """{"k": "requests.total", "v": 10, "o": "gte"}""", "Beta,alpha" },
        { """{"k": "name", "v": "alpha", "o": "gt"}""", "delta%x,eps.ilon,gammaX1,gamma_1" },
        { """{"k": "name", "v": "a", "o": "lt"}""", "Beta" },
        { """{"k": "tags.n", "v": 4, "o": "gt"}""", "Beta,alpha" },
        { """{"k": "tags.n", "v": 3, "o": "lt"}""", "gammaX1" },
        { """{"k": "tags.n", "v": "1", "o": "gt"}""", "gamma_1" },
        { """{"k": "tags.env", "v": "e", "o": "gte"}""", "alpha,eps.ilon" },
        { """{"k": "created_at", "v": "2024-01-05", "o": "gte"}""", "eps.ilon,gammaX1" },
        { """{"k": "created_at", "v": "2024-01-02T00:00:00+09:00", "o": "lt"}""", "alpha" },
        { """{"k": "tags.missing", "v": 1, "o": "lt"}""", "" },
        // exists
        { """{"k": "tags.env", "v": true, "o": "exists"}""", "Beta,alpha,eps.ilon,gamma_1" },
        { """{"k": "tags.env", "v": false, "o": "exists"}""", "delta%x,gammaX1" },
        { """{"k": "tags.nul", "v": true, "o": "exists"}""", "Beta" },
        { """{"k": "name", "v": true, "o": "exists"}""", All },
        { """{"k": "name", "v": false, "o": "exists"}""", "" },
        // contain: case-insensitive literal; % _ . are plain characters; numbers never contain
        { """{"k": "name", "v": "GAMMA", "o": "contain"}""", "gammaX1,gamma_1" },
        { """{"k": "name", "v": "_", "o": "contain"}""", "gamma_1" },
        { """{"k": "name", "v": "%", "o": "contain"}""", "delta%x" },
        { """{"k": "name", "v": ".", "o": "contain"}""", "eps.ilon" },
        { """{"k": "name", "v": "", "o": "contain"}""", All },
        { """{"k": "tags.env", "v": "RO", "o": "contain"}""", "alpha,eps.ilon,gamma_1" },
        { """{"k": "requests.total", "v": "1", "o": "contain"}""", "" },
        { """{"k": "name", "v": "a", "o": "not_contain"}""", "eps.ilon" },
        { """{"k": "tags.env", "v": "prod", "o": "not_contain"}""", "Beta,delta%x,gammaX1" },
        // in / not_in
        { """{"k": "state", "v": ["DISABLED"], "o": "in"}""", "Beta,eps.ilon" },
        { """{"k": "name", "v": [], "o": "in"}""", "" },
        { """{"k": "tags.env", "v": ["prod", null], "o": "in"}""", "alpha,delta%x,eps.ilon,gammaX1" },
        { """{"k": "tags.n", "v": [10], "o": "in"}""", "Beta" },
        { """{"k": "tags.n", "v": ["10", 5], "o": "in"}""", "alpha,gamma_1" },
        { """{"k": "requests.total", "v": [0, 20, "5"], "o": "in"}""", "Beta,gamma_1" },
        { """{"k": "created_at", "v": ["2024-01-01T10:00:00Z", "2024-01-06T10:00:00Z"], "o": "in"}""", "alpha,gammaX1" },
        { """{"k": "state", "v": [], "o": "not_in"}""", All },
        { """{"k": "tags.env", "v": ["prod"], "o": "not_in"}""", "Beta,delta%x,gammaX1,gamma_1" },
        { """{"k": "tags.env", "v": ["prod", null], "o": "not_in"}""", "Beta,gamma_1" },
        // contain_in / not_contain_in (ours: not_contain_in means "contains none")
        { """{"k": "name", "v": ["ALP", "eps"], "o": "contain_in"}""", "alpha,eps.ilon" },
        { """{"k": "name", "v": [], "o": "contain_in"}""", "" },
        { """{"k": "name", "v": ["%", "_"], "o": "contain_in"}""", "delta%x,gamma_1" },
        { """{"k": "name", "v": ["a"], "o": "not_contain_in"}""", "eps.ilon" },
        { """{"k": "name", "v": [], "o": "not_contain_in"}""", All },
        { """{"k": "tags.env", "v": ["prod", "dev"], "o": "not_contain_in"}""", "delta%x,gammaX1" },
        // regex / regex_in: case-insensitive search
        { """{"k": "name", "v": "^[a-z]", "o": "regex"}""", All },
        { """{"k": "name", "v": "^gamma.1$", "o": "regex"}""", "gammaX1,gamma_1" },
        { """{"k": "name", "v": "A$", "o": "regex"}""", "Beta,alpha" },
        { """{"k": "name", "v": "(?<=gamma)_", "o": "regex"}""", "gamma_1" },
        { """{"k": "tags.env", "v": "^PROD$", "o": "regex"}""", "alpha,eps.ilon,gamma_1" },
        { """{"k": "requests.total", "v": "1", "o": "regex"}""", "" },
        { """{"k": "name", "v": ["^b", "x$"], "o": "regex_in"}""", "Beta,delta%x" },
        { """{"k": "name", "v": [], "o": "regex_in"}""", "" },
        // datetime_*: ISO 8601, zone offsets, no zone = UTC
        { """{"k": "created_at", "v": "2024-01-04", "o": "datetime_gt"}""", "delta%x,eps.ilon,gammaX1" },
        { """{"k": "created_at", "v": "2024-01-02T10:00:00Z", "o": "datetime_lte"}""", "Beta,alpha" },
        { """{"k": "created_at", "v": "2024-01-02T19:00:00+09:00", "o": "datetime_lt"}""", "alpha" },
        { """{"k": "created_at", "v": "2024-01-06T10:00:00", "o": "datetime_gte"}""", "gammaX1" },
        // long and short forms
        { """{"key": "state", "value": "DISABLED", "operator": "eq"}""", "Beta,eps.ilon" },
        { """{"key": "state", "v": "DISABLED", "operator": "eq"}""", "Beta,eps.ilon" },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public async Task Filter_Operator_MatchesExpectedRows(string condition, string expected)
    {
        var page = await db.SearchAsync(QueryDatabase.OpsDomain, $$"""{"filter": [{{condition}}]}""");

        Assert.Equal(expected, Names(page));
        Assert.Equal(page.Results.Count, page.TotalCount);
    }

    /// <summary>Fixed now: Saturday 2024-01-06T12:00Z, so now/w is Monday 2024-01-01 and now/m is 2024-01-01.</summary>
    public static TheoryData<string, string> TimediffCases => new()
    {
        { """{"k": "created_at", "v": "now-2d", "o": "timediff_gt"}""", "eps.ilon,gammaX1" },
        { """{"k": "created_at", "v": "now/d - 4d", "o": "timediff_lt"}""", "alpha" },
        { """{"k": "created_at", "v": "now/w", "o": "timediff_gte"}""", All },
        { """{"k": "created_at", "v": "now/w + 1d", "o": "timediff_gte"}""", "Beta,delta%x,eps.ilon,gammaX1,gamma_1" },
        { """{"k": "created_at", "v": "now/m+1d", "o": "timediff_lte"}""", "alpha" },
        { """{"k": "created_at", "v": "now - 2h", "o": "timediff_gte"}""", "gammaX1" },
        { """{"k": "created_at", "v": "now-121m", "o": "timediff_gt"}""", "gammaX1" },
        { """{"k": "created_at", "v": "now-7200s", "o": "timediff_gte"}""", "gammaX1" },
        { """{"k": "created_at", "v": "now-1w", "o": "timediff_lt"}""", "" },
        { """{"k": "created_at", "v": "now", "o": "timediff_lt"}""", All },
    };

    [Theory]
    [MemberData(nameof(TimediffCases))]
    public async Task Filter_Timediff_ComparesWithResolvedInstant(string condition, string expected)
    {
        var executor = db.ExecutorAt(new DateTimeOffset(2024, 1, 6, 12, 0, 0, TimeSpan.Zero));

        var page = await db.SearchAsync(QueryDatabase.OpsDomain, $$"""{"filter": [{{condition}}]}""", executor: executor);

        Assert.Equal(expected, Names(page));
    }

    public static TheoryData<string, string> CombinationCases => new()
    {
        { """{"filter_or": [{"k": "state", "v": "DISABLED", "o": "eq"}, {"k": "name", "v": "gamma", "o": "contain"}]}""", "Beta,eps.ilon,gammaX1,gamma_1" },
        { """{"filter": [{"k": "state", "v": "ENABLED", "o": "eq"}], "filter_or": [{"k": "name", "v": "alpha", "o": "eq"}, {"k": "tags.env", "v": "Prod", "o": "eq"}]}""", "alpha,gamma_1" },
        { """{"filter": [{"k": "state", "v": "ENABLED", "o": "eq"}, {"k": "requests.total", "v": 3, "o": "gte"}]}""", "alpha,delta%x,gammaX1" },
        { """{"filter": [], "filter_or": []}""", All },
        { """{"keyword": "GAM beta"}""", "Beta,gammaX1,gamma_1" },
        { """{"keyword": "  "}""", All },
        { """{"keyword": "%"}""", "delta%x" },
        { """{"keyword": "_"}""", "gamma_1" },
        // ours: the keyword group is ANDed with filter and filter_or
        { """{"keyword": "gam", "filter": [{"k": "state", "v": "DISABLED", "o": "eq"}]}""", "" },
        { """{"keyword": "gam", "filter_or": [{"k": "name", "v": "alpha", "o": "eq"}, {"k": "name", "v": "gamma_1", "o": "eq"}]}""", "gamma_1" },
    };

    [Theory]
    [MemberData(nameof(CombinationCases))]
    public async Task Search_FilterOrAndKeyword_CombineAsSpecified(string query, string expected)
    {
        var page = await db.SearchAsync(QueryDatabase.OpsDomain, query);

        Assert.Equal(expected, Names(page));
    }

    public static TheoryData<string, string> SortCases => new()
    {
        { """{"key": "name", "desc": true}""", "gamma_1,gammaX1,eps.ilon,delta%x,alpha,Beta" },
        { """[{"key": "state"}, {"key": "name", "desc": true}]""", "eps.ilon,Beta,gamma_1,gammaX1,delta%x,alpha" },
        { """{"keys": [{"key": "state"}, {"key": "name", "desc": true}]}""", "eps.ilon,Beta,gamma_1,gammaX1,delta%x,alpha" },
        // missing first ascending, then numbers, then strings; creation order breaks ties
        { """{"key": "tags.n"}""", "delta%x,eps.ilon,gammaX1,alpha,Beta,gamma_1" },
        { """{"key": "tags.n", "desc": true}""", "gamma_1,Beta,alpha,gammaX1,delta%x,eps.ilon" },
        { """[{"key": "requests.error", "desc": true}]""", "delta%x,Beta,alpha,gamma_1,eps.ilon,gammaX1" },
        { """[{"key": "created_at", "desc": true}]""", "gammaX1,eps.ilon,delta%x,gamma_1,Beta,alpha" },
        { """[{"key": "plugin_info.plugin_id"}, {"key": "requests.total"}]""", "gamma_1,eps.ilon,alpha,delta%x,Beta,gammaX1" },
        { """[]""", All },
    };

    [Theory]
    [MemberData(nameof(SortCases))]
    public async Task Search_Sort_OrdersAsSpecified(string sort, string expected)
    {
        var page = await db.SearchAsync(QueryDatabase.OpsDomain, $$"""{"sort": {{sort}}}""");

        Assert.Equal(expected, Names(page));
    }

    public static TheoryData<string, string, long> PageCases => new()
    {
        { """{"start": 0, "limit": 2}""", "Beta,alpha", 6 },
        { """{"start": 1, "limit": 2}""", "Beta,alpha", 6 },
        { """{"start": 5, "limit": 10}""", "gammaX1,gamma_1", 6 },
        { """{"start": 7, "limit": 10}""", "", 6 },
        { """{"start": 3}""", "delta%x,eps.ilon,gammaX1,gamma_1", 6 },
        { """{"limit": 0}""", All, 6 },
        { """{}""", All, 6 },
    };

    [Theory]
    [MemberData(nameof(PageCases))]
    public async Task Search_Page_SlicesAndCountsEveryMatch(string page, string expected, long total)
    {
        var result = await db.SearchAsync(QueryDatabase.OpsDomain, $$"""{"page": {{page}}}""");

        Assert.Equal(expected, Names(result));
        Assert.Equal(total, result.TotalCount);
    }

    [Fact]
    public async Task Search_CountOnly_ReturnsNoResultsAndTheTotal()
    {
        var result = await db.SearchAsync(QueryDatabase.OpsDomain, """{"count_only": true, "filter": [{"k": "state", "v": "ENABLED", "o": "eq"}], "page": {"limit": 1}}""");

        Assert.Empty(result.Results);
        Assert.Equal(4, result.TotalCount);
    }

    [Fact]
    public async Task Search_Scope_CannotBeWidenedByFilterOrOrKeyword()
    {
        var query = """{"filter_or": [{"k": "domain_id", "v": "domain-f", "o": "eq"}, {"k": "domain_id", "v": "domain-f", "o": "not"}], "keyword": "l"}""";

        var result = await db.SearchAsync(QueryDatabase.OpsDomain, query);

        Assert.All(result.Results, r => Assert.Equal(QueryDatabase.OpsDomain, (string?)r["domain_id"]));
        Assert.Equal("alpha,delta%x,eps.ilon", Names(result));
    }

    [Fact]
    public async Task Search_ExtraScopeFilters_AreAndedWithTheQuery()
    {
        var scope = new[] { new ScopeFilter("domain_id", QueryDatabase.OpsDomain), new ScopeFilter("state", "DISABLED") };
        var query = Webhook.Domain.Querying.QueryParser.Parse(System.Text.Json.JsonDocument.Parse(
            """{"filter_or": [{"k": "state", "v": "ENABLED", "o": "eq"}, {"k": "name", "v": "Beta", "o": "eq"}]}""").RootElement);

        var result = await db.Executor.SearchAsync(ResourceSchemas.Webhooks, scope, query, CancellationToken.None);

        Assert.Equal("Beta", Names(result));
    }

    internal static string Names(SearchPage page) =>
        string.Join(",", page.Results.Select(r => (string?)r["name"] ?? (string?)r["title"]));
}
