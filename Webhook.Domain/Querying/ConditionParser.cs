using System.Diagnostics;
using Webhook.Domain.Common;
using static Webhook.Domain.Querying.QueryJson;

namespace Webhook.Domain.Querying;

/// <summary>
/// Parses <c>{key, value, operator}</c> conditions (long or short member names). The operator's name and the shape
/// its value must have come from <see cref="QueryOperators"/>.
/// </summary>
internal static class ConditionParser
{
    /// <summary>Conditions one list may hold: far beyond any real query, well within one SQL statement's limits.</summary>
    public const int MaxConditions = 500;

    internal static IReadOnlyList<Condition> ParseConditions(JsonElement root, string member, string path)
    {
        var list = Member(root, member);
        return list is null || list.Value.ValueKind == JsonValueKind.Null
            ? []
            : ParseConditionList(list.Value, $"{path}.{member}", groupConditions: false);
    }

    internal static List<Condition> ParseConditionList(JsonElement list, string path, bool groupConditions)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw QueryException.Invalid(path, "Conditions must be a list of {key, value, operator} objects.");
        }

        if (list.GetArrayLength() > MaxConditions)
        {
            throw QueryException.Invalid(path, $"At most {MaxConditions} conditions per list; use 'in' for many values.");
        }

        var conditions = new List<Condition>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            conditions.Add(ParseCondition(item, $"{path}[{i++}]", groupConditions));
        }

        return conditions;
    }

    private static Condition ParseCondition(JsonElement json, string path, bool groupConditions)
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
            || !QueryOperators.TryFind(operatorJson.Value.GetString()!, out var row))
        {
            throw QueryException.Invalid(operatorPath,
                $"Unknown operator {operatorJson.Value.GetRawText()}; use one of {string.Join(", ", QueryOperators.Names)}.");
        }

        if (groupConditions && !row.InGroupConditions)
        {
            throw QueryException.Invalid(operatorPath,
                $"Operator '{operatorJson.Value.GetString()}' is not allowed here; use eq, not, gt, gte, lt or lte.");
        }

        var value = valueJson?.Clone() ?? NullElement;
        var valuePath = $"{path}.{valueName}";
        var condition = new Condition(key, row.Operator, value, path, keyName, valueName, operatorName);
        return ValidateValue(condition, row, valuePath);
    }

    /// <summary>Checks the value against the operator's <see cref="ValueShape"/>; instants and timediffs are kept parsed.</summary>
    private static Condition ValidateValue(Condition c, OperatorRow row, string valuePath)
    {
        var (v, opName) = (c.Value, row.Name);
        switch (row.Value)
        {
            case ValueShape.ScalarOrNull:
                RequireScalar(v, opName, valuePath, allowNull: true);
                return c;
            case ValueShape.Scalar:
                RequireScalar(v, opName, valuePath, allowNull: false);
                return c;
            case ValueShape.Boolean:
                if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new QueryException(ErrorCodes.OperatorBooleanType, valuePath,
                        $"Operator '{opName}' needs true or false, not {Describe(v)}.");
                }

                return c;
            case ValueShape.Text:
                RequireString(v, opName, valuePath);
                return c;
            case ValueShape.Pattern:
                RegexCheck.Validate(RequireString(v, opName, valuePath), valuePath);
                return c;
            case ValueShape.ScalarList:
                foreach (var (item, itemPath) in RequireList(v, opName, valuePath))
                {
                    RequireScalar(item, opName, itemPath, allowNull: true);
                }

                return c;
            case ValueShape.TextList:
                foreach (var (item, itemPath) in RequireList(v, opName, valuePath))
                {
                    RequireString(item, opName, itemPath);
                }

                return c;
            case ValueShape.PatternList:
                foreach (var (item, itemPath) in RequireList(v, opName, valuePath))
                {
                    RegexCheck.Validate(RequireString(item, opName, itemPath), itemPath);
                }

                return c;
            case ValueShape.Instant:
                return c with { Instant = IsoInstant.Parse(RequireString(v, opName, valuePath), valuePath) };
            case ValueShape.TimeDiff:
                return c with { TimeDiff = TimeDiff.Parse(RequireString(v, opName, valuePath), valuePath) };
            default:
                throw new UnreachableException();
        }
    }

    private static void RequireScalar(JsonElement v, string opName, string path, bool allowNull)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            throw new QueryException(ErrorCodes.OperatorValueType, path,
                $"Operator '{opName}' needs a single value, not a list.");
        }

        if (v.ValueKind == JsonValueKind.Object)
        {
            throw new QueryException(ErrorCodes.OperatorValueType, path,
                $"Operator '{opName}' needs a single value (string, number, boolean), not an object.");
        }

        if (v.ValueKind == JsonValueKind.Null && !allowNull)
        {
            throw new QueryException(ErrorCodes.OperatorValueType, path,
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
            throw new QueryException(ErrorCodes.OperatorValueType, path,
                $"Operator '{opName}' needs a single string, not a list.");
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            throw new QueryException(ErrorCodes.OperatorValueType, path,
                $"Operator '{opName}' needs a string value, not {Describe(v)}.");
        }

        return CheckText(v.GetString()!, path);
    }

    /// <summary>The list's items with their paths (<c>value[2]</c>).</summary>
    private static IEnumerable<(JsonElement Item, string Path)> RequireList(JsonElement v, string opName, string path)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new QueryException(ErrorCodes.OperatorListValueType, path,
                $"Operator '{opName}' needs a list value, not {Describe(v)}.");
        }

        return v.EnumerateArray().Select((item, i) => (item, $"{path}[{i}]"));
    }

    private static readonly JsonElement NullElement = JsonDocument.Parse("null").RootElement.Clone();
}
