using static Webhook.Domain.Querying.QueryJson;

namespace Webhook.Domain.Querying;

/// <summary>
/// Turns a caller's <c>query</c> JSON into a validated <see cref="Query"/> / <see cref="StatisticsQuery"/> tree.
/// Everything that can be checked without knowing the resource is checked here; keys are checked later
/// against the resource's allow-list by the translator. This file holds the search grammar and the clauses both
/// grammars share (sort, page, keyword); QueryParser.Statistics.cs holds the statistics grammar.
/// </summary>
public static partial class QueryParser
{
    private const int MaxOnlyFields = 200;

    public static Query Parse(JsonElement? json, string path = "query")
    {
        if (json is null || json.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return Query.Empty;
        }

        CheckStrings(json.Value, path);
        var root = RequireObject(json.Value, path);
        CheckMembers(root, path, "filter", "filter_or", "sort", "page", "only", "minimal", "count_only", "keyword");

        return new Query(
            ConditionParser.ParseConditions(root, "filter", path),
            ConditionParser.ParseConditions(root, "filter_or", path),
            ParseSort(Member(root, "sort"), $"{path}.sort"),
            ParsePage(Member(root, "page"), $"{path}.page"),
            ParseOnly(Member(root, "only"), $"{path}.only"),
            ParseBool(Member(root, "minimal"), $"{path}.minimal"),
            ParseBool(Member(root, "count_only"), $"{path}.count_only"),
            ParseKeyword(Member(root, "keyword"), $"{path}.keyword"));
    }

    /// <summary>A query that only projects these fields (get's <c>only</c>), validated as <c>query.only</c> would be.</summary>
    public static Query ParseOnly(IReadOnlyList<string> keys, string path = "query.only")
    {
        if (keys.Count > MaxOnlyFields)
        {
            throw QueryException.Invalid(path, $"'only' may name at most {MaxOnlyFields} fields.");
        }

        return Query.Empty with { Only = [.. keys.Select((key, i) => CheckKey(CheckText(key, $"{path}[{i}]"), $"{path}[{i}]"))] };
    }

    private static List<SortKey> ParseSort(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var sort = json.Value;
        if (sort.ValueKind == JsonValueKind.Array)
        {
            return ParseSortList(sort, path);
        }

        var obj = RequireObject(sort, path, "Sort must be an object {key, desc} or a list of them.");
        CheckMembers(obj, path, "key", "desc", "keys");
        var keys = Member(obj, "keys");
        if (keys is { ValueKind: not JsonValueKind.Null })
        {
            if (Member(obj, "key") is { ValueKind: not JsonValueKind.Null })
            {
                throw QueryException.Invalid(path, "Sort gives both 'key' and 'keys'; give one of them.");
            }

            return ParseSortList(keys.Value, $"{path}.keys");
        }

        return [ParseSortKey(obj, path)];
    }

    private static List<SortKey> ParseSortList(JsonElement list, string path)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw QueryException.Invalid(path, "Sort keys must be a list of {key, desc} objects.");
        }

        var keys = new List<SortKey>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = $"{path}[{i++}]";
            var obj = RequireObject(item, itemPath);
            CheckMembers(obj, itemPath, "key", "desc");
            keys.Add(ParseSortKey(obj, itemPath));
        }

        return keys;
    }

    private static SortKey ParseSortKey(JsonElement obj, string path)
    {
        var key = Member(obj, "key");
        if (key is null || key.Value.ValueKind == JsonValueKind.Null)
        {
            throw QueryException.Invalid($"{path}.key", "The sort has no key.");
        }

        return new SortKey(RequireKey(key.Value, $"{path}.key"), ParseBool(Member(obj, "desc"), $"{path}.desc"), path);
    }

    private static PageRequest ParsePage(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            return PageRequest.None;
        }

        var obj = RequireObject(json.Value, path);
        CheckMembers(obj, path, "start", "limit");
        return new PageRequest(
            ParseCount(Member(obj, "start"), $"{path}.start") ?? 1,
            ParseCount(Member(obj, "limit"), $"{path}.limit") ?? 0);
    }

    private static List<string> ParseOnly(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (json.Value.ValueKind != JsonValueKind.Array)
        {
            throw QueryException.Invalid(path, "'only' must be a list of field names.");
        }

        // PostgreSQL returns at most 1664 columns; no resource has near this many fields.
        if (json.Value.GetArrayLength() > MaxOnlyFields)
        {
            throw QueryException.Invalid(path, $"'only' may name at most {MaxOnlyFields} fields.");
        }

        var keys = new List<string>();
        var i = 0;
        foreach (var item in json.Value.EnumerateArray())
        {
            keys.Add(RequireKey(item, $"{path}[{i++}]"));
        }

        return keys;
    }

    private static List<string> ParseKeyword(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (json.Value.ValueKind != JsonValueKind.String)
        {
            throw QueryException.Invalid(path, $"'keyword' must be a string, not {Describe(json.Value)}.");
        }

        return CheckText(json.Value.GetString()!, path)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
