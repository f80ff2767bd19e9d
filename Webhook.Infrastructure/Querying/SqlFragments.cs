using System.Diagnostics;
using System.Text.Json;
using NpgsqlTypes;
using Webhook.Domain.Common;
using Webhook.Domain.Querying;

namespace Webhook.Infrastructure.Querying;

/// <summary>Resolves keys to SQL within one relation (the resource's rows, or a statistics stage's output).</summary>
internal interface IFieldResolver
{
    ResolvedField Resolve(string key, string path, SqlBuilder sql);
}

internal sealed class SchemaResolver(ResourceSchema schema) : IFieldResolver
{
    public ResolvedField Resolve(string key, string path, SqlBuilder sql) => schema.Resolve(key, path, sql);
}

/// <summary>
/// SQL fragments for the operators, ordering and JSON output. Field SQL is trusted (from a schema or generated
/// column names); every caller value goes through <see cref="SqlBuilder"/> as a parameter.
/// </summary>
internal static class SqlFragments
{
    public const string IsoFormat = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'";

    /// <summary>A jsonb expression for a typed value: integers stay integers, instants become ISO 8601 UTC strings.</summary>
    public static string ToJson(string sql, FieldKind kind) => kind switch
    {
        FieldKind.Json => sql,
        FieldKind.Instant => $"to_jsonb(to_char({sql} AT TIME ZONE 'UTC', {IsoFormat}))",
        FieldKind.Text or FieldKind.Integer => $"to_jsonb({sql})",
        _ => throw new UnreachableException(),
    };

    /// <summary>Numeric value of a field for sums and averages; NULL where the value is not a number.</summary>
    public static string ToNumber(ResolvedField f) => f.Kind switch
    {
        FieldKind.Integer => f.Sql,
        FieldKind.Json => $"CASE WHEN jsonb_typeof({f.Sql}) = 'number' THEN ({f.Sql})::numeric END",
        FieldKind.Text or FieldKind.Instant => "NULL::numeric",
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// ORDER BY terms. A missing value is the smallest; strings sort by bytes. NULLS clauses are written only for
    /// nullable fields so that ORDER BY on NOT NULL columns still matches the btree indexes.
    /// Mixed JSON values order as MongoDB does: null, numbers, strings, objects, arrays, booleans.
    /// </summary>
    public static IEnumerable<string> SortTerms(ResolvedField f, bool desc)
    {
        var direction = desc ? "DESC" : "ASC";
        var nulls = f.Nullable ? (desc ? " NULLS LAST" : " NULLS FIRST") : string.Empty;
        switch (f.Kind)
        {
            case FieldKind.Text:
                yield return $"{f.Sql} COLLATE \"C\" {direction}{nulls}";
                break;
            case FieldKind.Json:
                var s = f.Sql;
                yield return $"CASE jsonb_typeof({s}) WHEN 'number' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 3 WHEN 'array' THEN 4 WHEN 'boolean' THEN 5 ELSE 0 END {direction}";
                yield return $"CASE WHEN jsonb_typeof({s}) = 'number' THEN ({s})::numeric END {direction}";
                yield return $"(CASE WHEN jsonb_typeof({s}) = 'string' THEN {s} #>> '{{}}' END) COLLATE \"C\" {direction}";
                yield return $"{s} {direction}";
                break;
            case FieldKind.Integer:
            case FieldKind.Instant:
                yield return $"{f.Sql} {direction}{nulls}";
                break;
            default:
                throw new UnreachableException();
        }
    }

    public static string EscapeLike(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>The WHERE fragment for one condition: the SQL shape of its operator's row, negated if the row says so.</summary>
    public static string Condition(Condition c, IFieldResolver resolver, SqlBuilder sql, DateTimeOffset now)
    {
        var f = resolver.Resolve(c.Key, c.KeyPath, sql);
        var row = c.Row;
        var positive = row.Sql switch
        {
            SqlShape.Equal => EqualTo(f, c.Value, c.ValuePath, sql),
            SqlShape.Compare => Compare(f, c.Value, ComparisonSql(row), c.ValuePath, sql),
            SqlShape.Exists => Exists(f, c.Value.ValueKind == JsonValueKind.True),
            SqlShape.Contain => Like(f, sql.Text(EscapeLike(c.Value.GetString()!))),
            SqlShape.ContainAny => LikeAny(f, c, sql),
            SqlShape.In => InList(f, c, sql),
            SqlShape.Regex => Regex(f, sql.Text(c.Value.GetString()!)),
            SqlShape.RegexAny => RegexAny(f, c, sql),
            SqlShape.CompareInstant => InstantCompare(f, c, ComparisonSql(row), sql, now),
            _ => throw new UnreachableException(),
        };
        return row.Negated ? Negate(positive) : positive;
    }

    private static string ComparisonSql(OperatorRow row) => row.Comparison switch
    {
        Comparison.Lt => "<",
        Comparison.Lte => "<=",
        Comparison.Gt => ">",
        Comparison.Gte => ">=",
        null => throw new UnreachableException($"Operator '{row.Name}' compares but its row names no comparison."),
        _ => throw new UnreachableException(),
    };

    /// <summary>Negations match where the positive form is false or unknown (so a missing field matches).</summary>
    private static string Negate(string positive) => $"NOT COALESCE({positive}, FALSE)";

    private static string EqualTo(ResolvedField f, JsonElement value, string path, SqlBuilder sql)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return IsMissingOrNull(f);
        }

        var parameter = TypedValue(f, value, path, sql);
        return parameter is null ? "FALSE" : $"{f.Sql} = {parameter}";
    }

    private static string IsMissingOrNull(ResolvedField f) => f.Kind switch
    {
        FieldKind.Json => $"({f.Sql} IS NULL OR {f.Sql} = 'null'::jsonb)",
        FieldKind.Text or FieldKind.Integer or FieldKind.Instant => f.Nullable ? $"{f.Sql} IS NULL" : "FALSE",
        _ => throw new UnreachableException(),
    };

    /// <summary>A parameter typed like the field, or null when the value's JSON type can never equal the field's.</summary>
    private static string? TypedValue(ResolvedField f, JsonElement value, string path, SqlBuilder sql) => f.Kind switch
    {
        FieldKind.Text => value.ValueKind == JsonValueKind.String ? sql.Text(value.GetString()!) : null,
        FieldKind.Integer => value.ValueKind == JsonValueKind.Number ? sql.Text(value.GetRawText()) + "::numeric" : null,
        FieldKind.Instant => sql.Add(ParseInstant(value, path).UtcDateTime, NpgsqlDbType.TimestampTz),
        FieldKind.Json => sql.Add(value.GetRawText(), NpgsqlDbType.Jsonb),
        _ => throw new UnreachableException(),
    };

    private static DateTimeOffset ParseInstant(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String
            ? IsoInstant.Parse(value.GetString()!, path)
            : throw new QueryException(ErrorCodes.InvalidQuery, path,
                "A date-time field compares with an ISO 8601 string (e.g. 2024-02-01T10:00:00Z).");

    private static string Compare(ResolvedField f, JsonElement value, string op, string path, SqlBuilder sql)
    {
        switch (f.Kind)
        {
            case FieldKind.Text:
                return value.ValueKind == JsonValueKind.String
                    ? $"{f.Sql} COLLATE \"C\" {op} {sql.Text(value.GetString()!)}"
                    : "FALSE";
            case FieldKind.Integer:
            case FieldKind.Instant:
                var parameter = TypedValue(f, value, path, sql);
                return parameter is null ? "FALSE" : $"{f.Sql} {op} {parameter}";
            case FieldKind.Json:
                // CASE, not AND: PostgreSQL does not promise to test the type before evaluating a cast.
                var s = f.Sql;
                return value.ValueKind switch
                {
                    JsonValueKind.String =>
                        $"(jsonb_typeof({s}) = 'string' AND ({s} #>> '{{}}') COLLATE \"C\" {op} {sql.Text(value.GetString()!)})",
                    JsonValueKind.Number =>
                        $"(CASE WHEN jsonb_typeof({s}) = 'number' THEN ({s})::numeric END) {op} {sql.Text(value.GetRawText())}::numeric",
                    JsonValueKind.True or JsonValueKind.False =>
                        $"(jsonb_typeof({s}) = 'boolean' AND {s} {op} {sql.Add(value.GetRawText(), NpgsqlDbType.Jsonb)})",
                    _ => throw new UnreachableException("The parser lets only strings, numbers and booleans through."),
                };
            default:
                throw new UnreachableException();
        }
    }

    private static string Exists(ResolvedField f, bool present) =>
        f.Nullable ? $"{f.Sql} IS {(present ? "NOT " : string.Empty)}NULL" : (present ? "TRUE" : "FALSE");

    private static string AsText(ResolvedField f) => f.Kind switch
    {
        FieldKind.Text => f.Sql,
        FieldKind.Json => $"(CASE WHEN jsonb_typeof({f.Sql}) = 'string' THEN {f.Sql} #>> '{{}}' END)",
        FieldKind.Integer or FieldKind.Instant => "NULL::text",
        _ => throw new UnreachableException(),
    };

    private static string Like(ResolvedField f, string pattern) => $"{AsText(f)} ILIKE {pattern}";

    private static string Regex(ResolvedField f, string pattern) => $"{AsText(f)} ~* {pattern}";

    private static string LikeAny(ResolvedField f, Condition c, SqlBuilder sql)
    {
        var patterns = c.ListValues.Select(v => EscapeLike(v.GetString()!)).ToArray();
        return patterns.Length == 0 ? "FALSE" : $"{AsText(f)} ILIKE ANY({sql.TextArray(patterns)})";
    }

    private static string RegexAny(ResolvedField f, Condition c, SqlBuilder sql)
    {
        var patterns = c.ListValues.Select(v => v.GetString()!).ToArray();
        return patterns.Length == 0 ? "FALSE" : $"{AsText(f)} ~* ANY({sql.TextArray(patterns)})";
    }

    private static string InList(ResolvedField f, Condition c, SqlBuilder sql)
    {
        var values = c.ListValues.ToList();
        var parts = new List<string>();
        if (values.Any(v => v.ValueKind == JsonValueKind.Null))
        {
            parts.Add(IsMissingOrNull(f));
        }

        var nonNull = values.Where(v => v.ValueKind != JsonValueKind.Null).ToList();
        switch (f.Kind)
        {
            case FieldKind.Text:
                var texts = nonNull.Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToArray();
                if (texts.Length > 0)
                {
                    parts.Add($"{f.Sql} = ANY({sql.TextArray(texts)})");
                }

                break;
            case FieldKind.Integer:
                var numbers = nonNull.Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetRawText()).ToArray();
                if (numbers.Length > 0)
                {
                    parts.Add($"{f.Sql} = ANY({sql.TextArray(numbers)}::numeric[])");
                }

                break;
            case FieldKind.Instant:
                var instants = values
                    .Select((v, i) => v.ValueKind == JsonValueKind.Null ? (DateTime?)null : ParseInstant(v, $"{c.ValuePath}[{i}]").UtcDateTime)
                    .OfType<DateTime>()
                    .ToArray();
                if (instants.Length > 0)
                {
                    parts.Add($"{f.Sql} = ANY({sql.Add(instants, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)})");
                }

                break;
            case FieldKind.Json:
                var jsons = nonNull.Select(v => v.GetRawText()).ToArray();
                if (jsons.Length > 0)
                {
                    parts.Add($"{f.Sql} = ANY({sql.Add(jsons, NpgsqlDbType.Array | NpgsqlDbType.Jsonb)})");
                }

                break;
            default:
                throw new UnreachableException();
        }

        return parts.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", parts) + ")";
    }

    private static string InstantCompare(ResolvedField f, Condition c, string op, SqlBuilder sql, DateTimeOffset now)
    {
        if (f.Kind != FieldKind.Instant)
        {
            throw new QueryException(ErrorCodes.InvalidQuery, c.OperatorPath,
                $"Operator on '{c.Key}' needs a date-time field (created_at, occurred_at).");
        }

        DateTimeOffset instant;
        try
        {
            instant = c.Instant ?? c.TimeDiff!.Resolve(now);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new QueryException(ErrorCodes.InvalidQuery, c.ValuePath, "The timediff falls outside the supported date range.");
        }

        return $"{f.Sql} {op} {sql.Add(instant.UtcDateTime, NpgsqlDbType.TimestampTz)}";
    }
}
