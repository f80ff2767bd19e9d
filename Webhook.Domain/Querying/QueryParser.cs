using System.Text.Json;

namespace Webhook.Domain.Querying;

/// <summary>
/// Turns a caller's <c>query</c> JSON into a validated <see cref="Query"/> / <see cref="StatisticsQuery"/> tree.
/// Everything that can be checked without knowing the resource is checked here; keys are checked later
/// against the resource's allow-list by the translator.
/// </summary>
public static class QueryParser
{
    private static readonly Dictionary<string, QueryOperator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = QueryOperator.Eq, ["not"] = QueryOperator.Not,
        ["lt"] = QueryOperator.Lt, ["lte"] = QueryOperator.Lte, ["gt"] = QueryOperator.Gt, ["gte"] = QueryOperator.Gte,
        ["exists"] = QueryOperator.Exists,
        ["contain"] = QueryOperator.Contain, ["not_contain"] = QueryOperator.NotContain,
        ["in"] = QueryOperator.In, ["not_in"] = QueryOperator.NotIn,
        ["contain_in"] = QueryOperator.ContainIn, ["not_contain_in"] = QueryOperator.NotContainIn,
        ["regex"] = QueryOperator.Regex, ["regex_in"] = QueryOperator.RegexIn,
        ["datetime_lt"] = QueryOperator.DatetimeLt, ["datetime_lte"] = QueryOperator.DatetimeLte,
        ["datetime_gt"] = QueryOperator.DatetimeGt, ["datetime_gte"] = QueryOperator.DatetimeGte,
        ["timediff_lt"] = QueryOperator.TimediffLt, ["timediff_lte"] = QueryOperator.TimediffLte,
        ["timediff_gt"] = QueryOperator.TimediffGt, ["timediff_gte"] = QueryOperator.TimediffGte,
    };

    private static readonly Dictionary<string, GroupOperator> GroupOperators = new(StringComparer.Ordinal)
    {
        ["count"] = GroupOperator.Count, ["sum"] = GroupOperator.Sum, ["average"] = GroupOperator.Average,
        ["max"] = GroupOperator.Max, ["min"] = GroupOperator.Min, ["first"] = GroupOperator.First,
        ["last"] = GroupOperator.Last, ["push"] = GroupOperator.Push, ["add_to_set"] = GroupOperator.AddToSet,
        ["merge_objects"] = GroupOperator.MergeObjects,
    };

    private static readonly Dictionary<string, ProjectOperator> ProjectOperators = new(StringComparer.Ordinal)
    {
        ["size"] = ProjectOperator.Size, ["sum"] = ProjectOperator.Sum,
        ["array_to_object"] = ProjectOperator.ArrayToObject, ["object_to_array"] = ProjectOperator.ObjectToArray,
    };

    private static readonly HashSet<QueryOperator> ConditionOperators =
    [
        QueryOperator.Eq, QueryOperator.Not, QueryOperator.Gt, QueryOperator.Gte, QueryOperator.Lt, QueryOperator.Lte,
    ];

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
            ParseConditions(root, "filter", path),
            ParseConditions(root, "filter_or", path),
            ParseSort(Member(root, "sort"), $"{path}.sort"),
            ParsePage(Member(root, "page"), $"{path}.page"),
            ParseOnly(Member(root, "only"), $"{path}.only"),
            ParseBool(Member(root, "minimal"), $"{path}.minimal"),
            ParseBool(Member(root, "count_only"), $"{path}.count_only"),
            ParseKeyword(Member(root, "keyword"), $"{path}.keyword"));
    }

    /// <summary>A query that only projects these fields (get's <c>only</c>), validated as <c>query.only</c> would be.</summary>
    public static Query ParseOnly(IReadOnlyList<string> keys, string path = "query.only") =>
        Query.Empty with { Only = [.. keys.Select((key, i) => CheckKey(CheckText(key, $"{path}[{i}]"), $"{path}[{i}]"))] };

    public static StatisticsQuery ParseStatistics(JsonElement json, string path = "query")
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new QueryException(QueryException.RequiredParameter, $"{path}.aggregate",
                "A statistics query needs 'aggregate' or 'distinct'.");
        }

        CheckStrings(json, path);
        var root = RequireObject(json, path);
        CheckMembers(root, path, "filter", "filter_or", "keyword", "aggregate", "page", "distinct");

        var stages = ParseStages(Member(root, "aggregate"), $"{path}.aggregate");
        string? distinct = null;
        var distinctJson = Member(root, "distinct");
        if (distinctJson is { ValueKind: not JsonValueKind.Null })
        {
            distinct = RequireKey(distinctJson.Value, $"{path}.distinct");
        }

        if (stages.Count == 0 && distinct is null)
        {
            throw new QueryException(QueryException.RequiredParameter, $"{path}.aggregate",
                "A statistics query needs 'aggregate' or 'distinct'. (key = aggregate)");
        }

        return new StatisticsQuery(
            ParseConditions(root, "filter", path),
            ParseConditions(root, "filter_or", path),
            ParseKeyword(Member(root, "keyword"), $"{path}.keyword"),
            stages,
            ParsePage(Member(root, "page"), $"{path}.page"),
            stages.Count > 0 ? null : distinct);
    }

    private static IReadOnlyList<Condition> ParseConditions(JsonElement root, string member, string path)
    {
        var list = Member(root, member);
        return list is null || list.Value.ValueKind == JsonValueKind.Null
            ? []
            : ParseConditionList(list.Value, $"{path}.{member}", null);
    }

    private static List<Condition> ParseConditionList(JsonElement list, string path, HashSet<QueryOperator>? allowed)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw QueryException.Invalid(path, "Conditions must be a list of {key, value, operator} objects.");
        }

        var conditions = new List<Condition>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            conditions.Add(ParseCondition(item, $"{path}[{i++}]", allowed));
        }

        return conditions;
    }

    private static Condition ParseCondition(JsonElement json, string path, HashSet<QueryOperator>? allowed)
    {
        var obj = RequireObject(json, path);
        CheckMembers(obj, path, "k", "key", "v", "value", "o", "operator");
        var (keyName, keyJson) = LongOrShort(obj, "key", "k", path);
        var (valueName, valueJson) = LongOrShort(obj, "value", "v", path);
        var (operatorName, operatorJson) = LongOrShort(obj, "operator", "o", path);
        var shortForm = obj.TryGetProperty("k", out _) || obj.TryGetProperty("v", out _) || obj.TryGetProperty("o", out _);
        keyName ??= shortForm ? "k" : "key";
        valueName ??= shortForm ? "v" : "value";
        operatorName ??= shortForm ? "o" : "operator";

        if (keyJson is null || keyJson.Value.ValueKind == JsonValueKind.Null)
        {
            throw QueryException.Invalid($"{path}.{keyName}", "The condition has no key.");
        }

        var key = RequireKey(keyJson.Value, $"{path}.{keyName}");

        var operatorPath = $"{path}.{operatorName}";
        if (operatorJson is null || operatorJson.Value.ValueKind == JsonValueKind.Null)
        {
            throw QueryException.Invalid(operatorPath, "The condition has no operator.");
        }

        if (operatorJson.Value.ValueKind != JsonValueKind.String
            || !Operators.TryGetValue(operatorJson.Value.GetString()!, out var op))
        {
            throw QueryException.Invalid(operatorPath,
                $"Unknown operator {operatorJson.Value.GetRawText()}; use one of {string.Join(", ", Operators.Keys)}.");
        }

        if (allowed is not null && !allowed.Contains(op))
        {
            throw QueryException.Invalid(operatorPath,
                $"Operator '{operatorJson.Value.GetString()}' is not allowed here; use eq, not, gt, gte, lt or lte.");
        }

        var value = valueJson?.Clone() ?? NullElement;
        var valuePath = $"{path}.{valueName}";
        var condition = new Condition(key, op, value, path, keyName, valueName, operatorName);
        return ValidateValue(condition, operatorJson.Value.GetString()!, valuePath);
    }

    private static Condition ValidateValue(Condition c, string opName, string valuePath)
    {
        var v = c.Value;
        switch (c.Operator)
        {
            case QueryOperator.Eq:
            case QueryOperator.Not:
                RequireScalar(v, opName, valuePath, allowNull: true);
                return c;
            case QueryOperator.Lt:
            case QueryOperator.Lte:
            case QueryOperator.Gt:
            case QueryOperator.Gte:
                RequireScalar(v, opName, valuePath, allowNull: false);
                return c;
            case QueryOperator.Exists:
                if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new QueryException(QueryException.OperatorBooleanType, valuePath,
                        $"Operator '{opName}' needs true or false, not {Describe(v)}.");
                }

                return c;
            case QueryOperator.Contain:
            case QueryOperator.NotContain:
                RequireString(v, opName, valuePath);
                return c;
            case QueryOperator.Regex:
                RegexCheck.Validate(RequireString(v, opName, valuePath), valuePath);
                return c;
            case QueryOperator.In:
            case QueryOperator.NotIn:
                {
                    var i = 0;
                    foreach (var item in RequireList(v, opName, valuePath))
                    {
                        RequireScalar(item, opName, $"{valuePath}[{i++}]", allowNull: true);
                    }

                    return c;
                }

            case QueryOperator.ContainIn:
            case QueryOperator.NotContainIn:
            case QueryOperator.RegexIn:
                {
                    var i = 0;
                    foreach (var item in RequireList(v, opName, valuePath))
                    {
                        var itemPath = $"{valuePath}[{i++}]";
                        var text = RequireString(item, opName, itemPath);
                        if (c.Operator == QueryOperator.RegexIn)
                        {
                            RegexCheck.Validate(text, itemPath);
                        }
                    }

                    return c;
                }

            case QueryOperator.DatetimeLt:
            case QueryOperator.DatetimeLte:
            case QueryOperator.DatetimeGt:
            case QueryOperator.DatetimeGte:
                return c with { Instant = IsoInstant.Parse(RequireString(v, opName, valuePath), valuePath) };
            default:
                return c with { TimeDiff = TimeDiff.Parse(RequireString(v, opName, valuePath), valuePath) };
        }
    }

    private static void RequireScalar(JsonElement v, string opName, string path, bool allowNull)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            throw new QueryException(QueryException.OperatorValueType, path,
                $"Operator '{opName}' needs a single value, not a list.");
        }

        if (v.ValueKind == JsonValueKind.Object)
        {
            throw new QueryException(QueryException.OperatorValueType, path,
                $"Operator '{opName}' needs a single value (string, number, boolean), not an object.");
        }

        if (v.ValueKind == JsonValueKind.Null && !allowNull)
        {
            throw new QueryException(QueryException.OperatorValueType, path,
                $"Operator '{opName}' needs a string, number or boolean value, not null.");
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            CheckText(v.GetString()!, path);
        }
    }

    private static string RequireString(JsonElement v, string opName, string path)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            throw new QueryException(QueryException.OperatorValueType, path,
                $"Operator '{opName}' needs a single string, not a list.");
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            throw new QueryException(QueryException.OperatorValueType, path,
                $"Operator '{opName}' needs a string value, not {Describe(v)}.");
        }

        return CheckText(v.GetString()!, path);
    }

    private static JsonElement.ArrayEnumerator RequireList(JsonElement v, string opName, string path)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new QueryException(QueryException.OperatorListValueType, path,
                $"Operator '{opName}' needs a list value, not {Describe(v)}.");
        }

        return v.EnumerateArray();
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

    private static long? ParseCount(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (json.Value.ValueKind != JsonValueKind.Number || !json.Value.TryGetInt64(out var n))
        {
            throw QueryException.Invalid(path, $"Expected a whole number, not {Describe(json.Value)}.");
        }

        return n < 0 ? throw QueryException.Invalid(path, $"Expected zero or a positive number, not {n}.") : n;
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

        var keys = new List<string>();
        var i = 0;
        foreach (var item in json.Value.EnumerateArray())
        {
            keys.Add(RequireKey(item, $"{path}[{i++}]"));
        }

        return keys;
    }

    private static bool ParseBool(JsonElement? json, string path) => json?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.True => true,
        _ => throw QueryException.Invalid(path, $"Expected true or false, not {Describe(json.Value)}."),
    };

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

    private static List<StatStage> ParseStages(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (json.Value.ValueKind != JsonValueKind.Array)
        {
            throw QueryException.Invalid(path, "'aggregate' must be a list of stages.");
        }

        var stages = new List<StatStage>();
        var i = 0;
        foreach (var item in json.Value.EnumerateArray())
        {
            stages.Add(ParseStage(item, $"{path}[{i++}]"));
        }

        return stages;
    }

    private static StatStage ParseStage(JsonElement json, string path)
    {
        var obj = RequireObject(json, path, "A stage must be an object with one of group, count, sort, project, unwind, limit, skip.");
        var members = obj.EnumerateObject().ToList();
        if (members.Count != 1)
        {
            throw QueryException.Invalid(path,
                "A stage must have exactly one of group, count, sort, project, unwind, limit, skip.");
        }

        var (name, body) = (members[0].Name, members[0].Value);
        var bodyPath = $"{path}.{name}";
        return name switch
        {
            "group" => ParseGroup(body, bodyPath),
            "count" => ParseCountStage(body, bodyPath),
            "sort" => new SortStage(RequireSortKeys(body, bodyPath), bodyPath),
            "project" => ParseProject(body, bodyPath),
            "unwind" => ParseUnwind(body, bodyPath),
            "limit" => new LimitStage(ParseCount(body, bodyPath) ?? throw QueryException.Invalid(bodyPath, "'limit' needs a number."), bodyPath),
            "skip" => new SkipStage(ParseCount(body, bodyPath) ?? throw QueryException.Invalid(bodyPath, "'skip' needs a number."), bodyPath),
            _ => throw QueryException.Invalid(path,
                $"Unknown stage '{name}'; use group, count, sort, project, unwind, limit or skip."),
        };
    }

    private static List<SortKey> RequireSortKeys(JsonElement body, string path)
    {
        var keys = ParseSort(body, path);
        return keys.Count > 0 ? keys : throw QueryException.Invalid(path, "The sort stage names no key.");
    }

    private static GroupStage ParseGroup(JsonElement json, string path)
    {
        var obj = RequireObject(json, path);
        CheckMembers(obj, path, "keys", "fields");
        var keys = new List<GroupKey>();
        foreach (var (item, itemPath) in Items(Member(obj, "keys"), $"{path}.keys"))
        {
            var key = RequireObject(item, itemPath);
            CheckMembers(key, itemPath, "key", "name", "date_format");
            var format = Member(key, "date_format");
            keys.Add(new GroupKey(
                RequireMemberKey(key, "key", itemPath),
                RequireName(key, itemPath),
                format is { ValueKind: not JsonValueKind.Null }
                    ? DateFormat.Parse(RequireText(format.Value, $"{itemPath}.date_format"), $"{itemPath}.date_format")
                    : null,
                itemPath));
        }

        var fields = new List<GroupField>();
        foreach (var (item, itemPath) in Items(Member(obj, "fields"), $"{path}.fields"))
        {
            fields.Add(ParseGroupField(item, itemPath));
        }

        if (keys.Count == 0 && fields.Count == 0)
        {
            throw QueryException.Invalid(path, "A group needs keys or fields.");
        }

        CheckUniqueNames(keys.Select(k => (k.Name, k.Path)).Concat(fields.Select(f => (f.Name, f.Path))));
        return new GroupStage(keys, fields, path);
    }

    private static GroupField ParseGroupField(JsonElement json, string path)
    {
        var obj = RequireObject(json, path);
        CheckMembers(obj, path, "key", "k", "name", "operator", "o", "fields", "conditions");
        var (operatorName, operatorJson) = LongOrShort(obj, "operator", "o", path);
        var operatorPath = $"{path}.{operatorName ?? "operator"}";
        if (operatorJson is not { ValueKind: JsonValueKind.String }
            || !GroupOperators.TryGetValue(operatorJson.Value.GetString()!, out var op))
        {
            throw QueryException.Invalid(operatorPath,
                $"Unknown group operator {operatorJson?.GetRawText() ?? "(missing)"}; use one of {string.Join(", ", GroupOperators.Keys)}.");
        }

        var (keyName, keyJson) = LongOrShort(obj, "key", "k", path);
        string? key = keyJson is { ValueKind: not JsonValueKind.Null }
            ? RequireKey(keyJson.Value, $"{path}.{keyName}")
            : null;

        var pushFields = new List<PushField>();
        var pushJson = Member(obj, "fields");
        if (pushJson is { ValueKind: not JsonValueKind.Null })
        {
            if (op != GroupOperator.Push)
            {
                throw QueryException.Invalid($"{path}.fields", "Only the push operator takes 'fields'.");
            }

            foreach (var (item, itemPath) in Items(pushJson, $"{path}.fields"))
            {
                var field = RequireObject(item, itemPath);
                CheckMembers(field, itemPath, "key", "name");
                pushFields.Add(new PushField(RequireMemberKey(field, "key", itemPath), RequireName(field, itemPath), itemPath));
            }

            CheckUniqueNames(pushFields.Select(f => (f.Name, f.Path)));
        }

        if (key is null && op != GroupOperator.Count && !(op == GroupOperator.Push && pushFields.Count > 0))
        {
            throw QueryException.Invalid($"{path}.key", $"Group operator '{operatorJson.Value.GetString()}' needs a key.");
        }

        var conditions = new List<Condition>();
        var conditionsJson = Member(obj, "conditions");
        if (conditionsJson is { ValueKind: not JsonValueKind.Null })
        {
            if (op is not (GroupOperator.Count or GroupOperator.Sum))
            {
                throw QueryException.Invalid($"{path}.conditions", "Only count and sum take 'conditions'.");
            }

            conditions = ParseConditionList(conditionsJson.Value, $"{path}.conditions", ConditionOperators);
        }

        return new GroupField(key, RequireName(obj, path), op, pushFields, conditions, path);
    }

    private static CountStage ParseCountStage(JsonElement json, string path)
    {
        var obj = RequireObject(json, path);
        CheckMembers(obj, path, "name");
        return new CountStage(RequireName(obj, path), path);
    }

    private static ProjectStage ParseProject(JsonElement json, string path)
    {
        var obj = RequireObject(json, path);
        CheckMembers(obj, path, "fields", "exclude_keys");
        var fields = new List<ProjectField>();
        foreach (var (item, itemPath) in Items(Member(obj, "fields"), $"{path}.fields"))
        {
            var field = RequireObject(item, itemPath);
            CheckMembers(field, itemPath, "key", "name", "operator");
            var op = ProjectOperator.None;
            var opJson = Member(field, "operator");
            if (opJson is { ValueKind: not JsonValueKind.Null }
                && (opJson.Value.ValueKind != JsonValueKind.String || !ProjectOperators.TryGetValue(opJson.Value.GetString()!, out op)))
            {
                throw QueryException.Invalid($"{itemPath}.operator",
                    $"Unknown project operator {opJson.Value.GetRawText()}; use one of {string.Join(", ", ProjectOperators.Keys)}.");
            }

            fields.Add(new ProjectField(RequireMemberKey(field, "key", itemPath), RequireName(field, itemPath), op, itemPath));
        }

        CheckUniqueNames(fields.Select(f => (f.Name, f.Path)));
        return new ProjectStage(fields, ParseBool(Member(obj, "exclude_keys"), $"{path}.exclude_keys"), path);
    }

    private static UnwindStage ParseUnwind(JsonElement json, string path)
    {
        var obj = RequireObject(json, path);
        CheckMembers(obj, path, "path");
        return new UnwindStage(RequireMemberKey(obj, "path", path), path);
    }

    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (json.Value.ValueKind != JsonValueKind.Array)
        {
            throw QueryException.Invalid(path, "Expected a list.");
        }

        var i = 0;
        foreach (var item in json.Value.EnumerateArray())
        {
            yield return (item, $"{path}[{i++}]");
        }
    }

    private static void CheckUniqueNames(IEnumerable<(string Name, string Path)> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, path) in names)
        {
            if (!seen.Add(name))
            {
                throw QueryException.Invalid($"{path}.name", $"The name '{name}' is used twice in this stage.");
            }
        }
    }

    private static string RequireName(JsonElement obj, string path)
    {
        var name = Member(obj, "name");
        if (name is null || name.Value.ValueKind == JsonValueKind.Null)
        {
            throw QueryException.Invalid($"{path}.name", "A 'name' is required here.");
        }

        var text = RequireText(name.Value, $"{path}.name");
        return text.Length == 0 ? throw QueryException.Invalid($"{path}.name", "The name must not be empty.") : text;
    }

    private static string RequireMemberKey(JsonElement obj, string member, string path)
    {
        var key = Member(obj, member);
        return key is null || key.Value.ValueKind == JsonValueKind.Null
            ? throw QueryException.Invalid($"{path}.{member}", $"A '{member}' is required here.")
            : RequireKey(key.Value, $"{path}.{member}");
    }

    /// <summary>A field key: a non-empty string of dot-separated non-empty segments.</summary>
    private static string RequireKey(JsonElement json, string path) => CheckKey(RequireText(json, path), path);

    private static string CheckKey(string key, string path) =>
        key.Length == 0 || key.Split('.').Any(s => s.Length == 0)
            ? throw QueryException.Invalid(path, $"'{key}' is not a valid key: use field names separated by dots.")
            : key;

    private static string RequireText(JsonElement json, string path) =>
        json.ValueKind == JsonValueKind.String
            ? CheckText(json.GetString()!, path)
            : throw QueryException.Invalid(path, $"Expected a string, not {Describe(json)}.");

    /// <summary>
    /// Every string in the document, member names included, must be text PostgreSQL can hold: System.Text.Json
    /// refuses to decode an escaped lone surrogate, so this walk turns that into a 400 before anything else reads it.
    /// </summary>
    private static void CheckStrings(JsonElement json, string path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                CheckText(Decode(json, path), path);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in json.EnumerateArray())
                {
                    CheckStrings(item, $"{path}[{i++}]");
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in json.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        throw QueryException.Invalid(path, "A member name is not valid UTF-16 text.");
                    }

                    CheckText(name, $"{path}.{name}");
                    CheckStrings(member.Value, $"{path}.{name}");
                }

                break;
        }
    }

    private static string Decode(JsonElement json, string path)
    {
        try
        {
            return json.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw QueryException.Invalid(path, "Text contains an unpaired UTF-16 surrogate.");
        }
    }

    /// <summary>PostgreSQL text cannot hold NUL or broken UTF-16; reject them here rather than fail in the database.</summary>
    private static string CheckText(string text, string path)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                throw QueryException.Invalid(path, "Text must not contain the NUL character.");
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw QueryException.Invalid(path, "Text contains an unpaired UTF-16 surrogate.");
            }
        }

        return text;
    }

    private static (string? Name, JsonElement? Value) LongOrShort(JsonElement obj, string longName, string shortName, string path)
    {
        var hasLong = obj.TryGetProperty(longName, out var longValue);
        var hasShort = obj.TryGetProperty(shortName, out var shortValue);
        if (hasLong && hasShort)
        {
            throw QueryException.Invalid($"{path}.{shortName}", $"Give '{longName}' or '{shortName}', not both.");
        }

        return hasLong ? (longName, longValue) : hasShort ? (shortName, shortValue) : (null, null);
    }

    private static JsonElement RequireObject(JsonElement json, string path, string? message = null) =>
        json.ValueKind == JsonValueKind.Object
            ? json
            : throw QueryException.Invalid(path, message ?? $"Expected an object, not {Describe(json)}.");

    private static void CheckMembers(JsonElement obj, string path, params string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in obj.EnumerateObject())
        {
            if (!allowed.Contains(member.Name, StringComparer.Ordinal))
            {
                throw QueryException.Invalid($"{path}.{member.Name}",
                    $"Unknown member '{member.Name}'; allowed here: {string.Join(", ", allowed)}.");
            }

            if (!seen.Add(member.Name))
            {
                throw QueryException.Invalid($"{path}.{member.Name}", $"'{member.Name}' is given twice.");
            }
        }
    }

    private static JsonElement? Member(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value : null;

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static readonly JsonElement NullElement = JsonDocument.Parse("null").RootElement.Clone();
}
