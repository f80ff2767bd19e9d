using Webhook.Domain.Common;
using static Webhook.Domain.Querying.QueryJson;

namespace Webhook.Domain.Querying;

/// <summary>The statistics grammar: <c>aggregate</c> stages or <c>distinct</c>, over the search query's filters.</summary>
public static partial class QueryParser
{
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

    public static StatisticsQuery ParseStatistics(JsonElement json, string path = "query")
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new QueryException(ErrorCodes.RequiredParameter, $"{path}.aggregate",
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
            throw new QueryException(ErrorCodes.RequiredParameter, $"{path}.aggregate",
                "A statistics query needs 'aggregate' or 'distinct'. (key = aggregate)");
        }

        return new StatisticsQuery(
            ConditionParser.ParseConditions(root, "filter", path),
            ConditionParser.ParseConditions(root, "filter_or", path),
            ParseKeyword(Member(root, "keyword"), $"{path}.keyword"),
            stages,
            ParsePage(Member(root, "page"), $"{path}.page"),
            stages.Count > 0 ? null : distinct);
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

            conditions = ConditionParser.ParseConditionList(conditionsJson.Value, $"{path}.conditions", groupConditions: true);
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
}
