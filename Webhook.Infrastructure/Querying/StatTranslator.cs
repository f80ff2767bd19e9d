using System.Diagnostics;
using System.Globalization;
using System.Text;
using NpgsqlTypes;
using Webhook.Domain.Common;
using Webhook.Domain.Querying;

namespace Webhook.Infrastructure.Querying;

/// <summary>
/// Translates a <see cref="StatisticsQuery"/> into ONE statement: a CTE per stage over the scoped, filtered rows.
/// Before the first reshaping stage the pipeline works on typed columns of the table (no per-row JSON documents);
/// a group's output, and everything after it, is a relation of jsonb columns named c0, c1, ... plus an input-order
/// column <c>_ord</c>. Stage and field names are bound parameters wherever they become JSON keys.
/// The statement returns one row: (total_count or NULL, results as JSON text).
/// </summary>
internal sealed class StatTranslator
{
    private const int MaxOutputFields = 50;

    private readonly ResourceSchema _schema;
    private readonly DateTimeOffset _now;
    private readonly long _maxResults;
    private readonly SqlBuilder _sql = new();
    private readonly List<string> _ctes = [];

    private StatTranslator(ResourceSchema schema, DateTimeOffset now, long maxResults)
    {
        _schema = schema;
        _now = now;
        _maxResults = maxResults;
    }

    private abstract record Relation(string Name);

    /// <summary>Rows of the resource table; <paramref name="Ord"/> is the column holding input order.</summary>
    private sealed record BaseRelation(string Name, string Ord) : Relation(Name);

    private sealed record DerivedRelation(string Name, IReadOnlyList<(string Name, string Column)> Columns, IReadOnlyList<string> GroupKeys)
        : Relation(Name);

    /// <summary>Resolves keys against a stage's output: a name, or a dotted path into a named value.</summary>
    private sealed class DerivedResolver(DerivedRelation relation, string alias) : IFieldResolver
    {
        public ResolvedField Resolve(string key, string path, SqlBuilder sql)
        {
            var (column, subPath) = Find(key) ?? throw new QueryException(ErrorCodes.InvalidQuery, path,
                $"Unknown key '{key}' at this stage; its input has {(relation.Columns.Count == 0 ? "no fields" : string.Join(", ", relation.Columns.Select(c => c.Name)))}.");
            return subPath is null
                ? new ResolvedField($"{alias}.{column}", FieldKind.Json, true)
                : new ResolvedField($"({alias}.{column} #> {sql.TextArray(subPath)})", FieldKind.Json, true);
        }

        public (string Column, string[]? SubPath)? Find(string key)
        {
            foreach (var (name, column) in relation.Columns)
            {
                if (name == key)
                {
                    return (column, null);
                }
            }

            var best = relation.Columns
                .Where(c => key.StartsWith(c.Name + ".", StringComparison.Ordinal))
                .OrderByDescending(c => c.Name.Length)
                .FirstOrDefault();
            return best.Name is null ? null : (best.Column, key[(best.Name.Length + 1)..].Split('.'));
        }
    }

    /// <param name="maxResults">The most result rows returned: a missing (0) or larger <c>page.limit</c> gets this.</param>
    public static SqlStatement Translate(
        ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, StatisticsQuery query, DateTimeOffset now, long maxResults) =>
        new StatTranslator(schema, now, maxResults).Build(scope, query);

    private SqlStatement Build(IReadOnlyList<ScopeFilter> scope, StatisticsQuery query)
    {
        var where = SearchTranslator.Where(_schema, scope, query.Filter, query.FilterOr, query.Keywords, _sql, _now);
        _ctes.Add($"s0 AS (SELECT t.* FROM {_schema.Table} t WHERE {where})");
        if (query.Stages.Count == 0)
        {
            return Distinct(query.Distinct!, query.Page);
        }

        Relation relation = new BaseRelation("s0", "id");
        foreach (var stage in query.Stages)
        {
            relation = stage switch
            {
                GroupStage group => Group(relation, group),
                CountStage count => Count(relation, count),
                SortStage sort => Sort(relation, sort),
                LimitStage limit => Slice(relation, "LIMIT", limit.Count),
                SkipStage skip => Slice(relation, "OFFSET", skip.Count),
                ProjectStage project => Project(Derive(relation), project),
                UnwindStage unwind => Unwind(Derive(relation), unwind),
                _ => throw new UnreachableException($"Unhandled stage {stage.GetType().Name}."),
            };
        }

        return Output(Derive(relation), query.Page);
    }

    private string NextName(string prefix) => prefix + (_ctes.Count).ToString(CultureInfo.InvariantCulture);

    private IFieldResolver Resolver(Relation relation) =>
        relation is DerivedRelation derived ? new DerivedResolver(derived, "t") : new SchemaResolver(_schema);

    private static string Ord(Relation relation) => relation is BaseRelation b ? $"t.{b.Ord}" : "t._ord";

    private static IEnumerable<string> JsonSortTerms(string sql, bool desc) =>
        SqlFragments.SortTerms(new ResolvedField(sql, FieldKind.Json, true), desc);

    private DerivedRelation Group(Relation input, GroupStage group)
    {
        var resolver = Resolver(input);
        var ord = Ord(input);
        var selects = new List<string>();
        var groupBy = new List<string>();
        var columns = new List<(string Name, string Column)>();
        foreach (var key in group.Keys)
        {
            var field = resolver.Resolve(key.Key, $"{key.Path}.key", _sql);
            if (key.DateFormat is not null)
            {
                field = DateKey(field, key.DateFormat, $"{key.Path}.date_format");
            }

            var column = $"c{columns.Count}";
            groupBy.Add(field.Sql);
            selects.Add($"{SqlFragments.ToJson(field.Sql, field.Kind)} AS {column}");
            columns.Add((key.Name, column));
        }

        foreach (var field in group.Fields)
        {
            var column = $"c{columns.Count}";
            selects.Add($"{Aggregate(field, resolver, ord)} AS {column}");
            columns.Add((field.Name, column));
        }

        var grouped = NextName("g");
        var tail = groupBy.Count > 0
            ? $" GROUP BY {string.Join(", ", groupBy)}"
            : " HAVING count(*) > 0"; // an aggregate without GROUP BY yields a row even for no input: suppress it
        _ctes.Add($"{grouped} AS (SELECT {string.Join(", ", selects)} FROM {input.Name} t{tail})");

        var keyOrder = columns.Take(group.Keys.Count).SelectMany(c => JsonSortTerms($"g.{c.Column}", false)).ToList();
        var name = NextName("d");
        _ctes.Add($"{name} AS (SELECT g.*, row_number() OVER ({(keyOrder.Count > 0 ? "ORDER BY " + string.Join(", ", keyOrder) : string.Empty)}) AS _ord FROM {grouped} g)");
        return new DerivedRelation(name, columns, group.Keys.Select(k => k.Name).ToArray());
    }

    private ResolvedField DateKey(ResolvedField field, DateFormat format, string path)
    {
        if (field.Kind != FieldKind.Instant)
        {
            throw new QueryException(ErrorCodes.InvalidQuery, path, "date_format needs a date-time key (created_at, occurred_at).");
        }

        var utc = $"({field.Sql} AT TIME ZONE 'UTC')";
        return format.Kind switch
        {
            DateFormatKind.Year => new ResolvedField($"CAST(EXTRACT(YEAR FROM {utc}) AS integer)", FieldKind.Integer, field.Nullable),
            DateFormatKind.Month => new ResolvedField($"CAST(EXTRACT(MONTH FROM {utc}) AS integer)", FieldKind.Integer, field.Nullable),
            DateFormatKind.Day => new ResolvedField($"CAST(EXTRACT(DAY FROM {utc}) AS integer)", FieldKind.Integer, field.Nullable),
            DateFormatKind.Pattern => new ResolvedField($"to_char({utc}, {_sql.Text(ToCharPattern(format))})", FieldKind.Text, field.Nullable),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>strftime directives to PostgreSQL to_char; literal text is double-quoted so it is never a template.</summary>
    internal static string ToCharPattern(DateFormat format)
    {
        var pattern = new StringBuilder();
        foreach (var part in format.Parts)
        {
            if (part.Literal is not null)
            {
                pattern.Append('"')
                    .Append(part.Literal.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))
                    .Append('"');
                continue;
            }

            pattern.Append(part.Directive switch
            {
                'Y' => "YYYY",
                'y' => "YY",
                'm' => "MM",
                'd' => "DD",
                'H' => "HH24",
                'M' => "MI",
                'S' => "SS",
                'j' => "DDD",
                'b' => "Mon",
                'B' => "FMMonth",
                'a' => "Dy",
                'A' => "FMDay",
                'p' => "AM",
                _ => throw new UnreachableException($"DateFormat.Parse let through '%{part.Directive}'."),
            });
        }

        return pattern.ToString();
    }

    private string Aggregate(GroupField field, IFieldResolver resolver, string ord)
    {
        var filter = field.Conditions.Count == 0
            ? string.Empty
            : $" FILTER (WHERE {string.Join(" AND ", field.Conditions.Select(c => SqlFragments.Condition(c, resolver, _sql, _now)))})";
        if (field.Operator == GroupOperator.Count)
        {
            return $"to_jsonb(count(*){filter})";
        }

        if (field.Operator == GroupOperator.Push && field.Key is null)
        {
            if (field.Fields.Count > MaxOutputFields)
            {
                throw new QueryException(ErrorCodes.InvalidQuery, $"{field.Path}.fields", $"push takes at most {MaxOutputFields} fields.");
            }

            var pairs = field.Fields.Select(p =>
            {
                var value = resolver.Resolve(p.Key, $"{p.Path}.key", _sql);
                return $"{_sql.Text(p.Name)}, {SqlFragments.ToJson(value.Sql, value.Kind)}";
            });
            return $"COALESCE(jsonb_agg(jsonb_build_object({string.Join(", ", pairs)}) ORDER BY {ord}), '[]'::jsonb)";
        }

        var f = resolver.Resolve(field.Key!, $"{field.Path}.key", _sql);
        var json = SqlFragments.ToJson(f.Sql, f.Kind);
        return field.Operator switch
        {
            GroupOperator.Sum => $"to_jsonb(trim_scale(COALESCE(sum({SqlFragments.ToNumber(f)}){filter}, 0)::numeric))",
            GroupOperator.Average => $"to_jsonb(trim_scale(avg({SqlFragments.ToNumber(f)})::numeric))",
            GroupOperator.Max => Extreme(f, desc: true),
            GroupOperator.Min => Extreme(f, desc: false),
            GroupOperator.First => $"(array_agg({json} ORDER BY {ord}))[1]",
            GroupOperator.Last => $"(array_agg({json} ORDER BY {ord} DESC))[1]",
            GroupOperator.Push => $"COALESCE(jsonb_agg({json} ORDER BY {ord}) FILTER (WHERE {f.Sql} IS NOT NULL), '[]'::jsonb)",
            GroupOperator.AddToSet => $"COALESCE(jsonb_agg(DISTINCT {json}) FILTER (WHERE {f.Sql} IS NOT NULL), '[]'::jsonb)",
            GroupOperator.MergeObjects => "COALESCE((SELECT jsonb_object_agg(e.key, e.value ORDER BY a.n) "
                 + $"FROM unnest(array_agg({json} ORDER BY {ord}) FILTER (WHERE jsonb_typeof({json}) = 'object')) WITH ORDINALITY AS a(o, n), "
                 + "jsonb_each(a.o) AS e), '{}'::jsonb)",
            GroupOperator.Count => throw new UnreachableException("count is answered above."),
            _ => throw new UnreachableException(),
        };
    }

    private static string Extreme(ResolvedField f, bool desc)
    {
        var function = desc ? "max" : "min";
        return f.Kind switch
        {
            FieldKind.Text => $"to_jsonb({function}({f.Sql} COLLATE \"C\"))",
            FieldKind.Integer => $"to_jsonb({function}({f.Sql}))",
            FieldKind.Instant => SqlFragments.ToJson($"{function}({f.Sql})", FieldKind.Instant),
            FieldKind.Json => $"(array_agg({f.Sql} ORDER BY {string.Join(", ", JsonSortTerms(f.Sql, desc))}) "
                 + $"FILTER (WHERE {f.Sql} IS NOT NULL AND {f.Sql} <> 'null'::jsonb))[1]",
            _ => throw new UnreachableException(),
        };
    }

    private DerivedRelation Count(Relation input, CountStage count)
    {
        var name = NextName("d");
        _ctes.Add($"{name} AS (SELECT to_jsonb(count(*)) AS c0, 1::bigint AS _ord FROM {input.Name} t HAVING count(*) > 0)");
        return new DerivedRelation(name, [(count.Name, "c0")], []);
    }

    private Relation Sort(Relation input, SortStage sort)
    {
        var resolver = Resolver(input);
        var terms = sort.Keys.SelectMany(k => SqlFragments.SortTerms(resolver.Resolve(k.Key, $"{k.Path}.key", _sql), k.Desc)).ToList();
        terms.Add($"{Ord(input)} ASC");
        var window = $"row_number() OVER (ORDER BY {string.Join(", ", terms)})";
        if (input is BaseRelation)
        {
            var name = NextName("b");
            var ordColumn = "_o" + _ctes.Count.ToString(CultureInfo.InvariantCulture);
            _ctes.Add($"{name} AS (SELECT t.*, {window} AS {ordColumn} FROM {input.Name} t)");
            return new BaseRelation(name, ordColumn);
        }

        var derived = (DerivedRelation)input;
        var derivedName = NextName("d");
        _ctes.Add($"{derivedName} AS (SELECT {ColumnList(derived)}{window} AS _ord FROM {input.Name} t)");
        return derived with { Name = derivedName };
    }

    private Relation Slice(Relation input, string clause, long count)
    {
        var name = NextName(input is BaseRelation ? "b" : "d");
        _ctes.Add($"{name} AS (SELECT t.* FROM {input.Name} t ORDER BY {Ord(input)} {clause} {_sql.Bigint(count)})");
        return input switch
        {
            BaseRelation b => b with { Name = name },
            DerivedRelation d => d with { Name = name },
            _ => throw new UnreachableException(),
        };
    }

    private static string ColumnList(DerivedRelation relation) =>
        string.Concat(relation.Columns.Select(c => $"t.{c.Column}, "));

    /// <summary>Turns table rows into the document's top-level values, for stages that reshape documents.</summary>
    private DerivedRelation Derive(Relation relation)
    {
        if (relation is DerivedRelation derived)
        {
            return derived;
        }

        var columns = _schema.TopLevel.Select((n, i) => (Name: n, Column: $"c{i}")).ToArray();
        var selects = columns.Select(c => $"{_schema.DocumentValue(c.Name)} AS {c.Column}");
        var name = NextName("d");
        _ctes.Add($"{name} AS (SELECT {string.Join(", ", selects)}, {Ord(relation)} AS _ord FROM {relation.Name} t)");
        return new DerivedRelation(name, columns, []);
    }

    private DerivedRelation Project(DerivedRelation input, ProjectStage project)
    {
        var resolver = new DerivedResolver(input, "t");
        var columns = new List<(string Name, string Column)>();
        var selects = new List<string>();
        var keptKeys = new List<string>();
        if (!project.ExcludeKeys)
        {
            foreach (var key in input.GroupKeys.Where(k => project.Fields.All(f => f.Name != k)))
            {
                var (column, _) = resolver.Find(key)!.Value;
                selects.Add($"t.{column} AS c{columns.Count}");
                columns.Add((key, $"c{columns.Count}"));
                keptKeys.Add(key);
            }
        }

        foreach (var field in project.Fields)
        {
            var s = resolver.Resolve(field.Key, $"{field.Path}.key", _sql).Sql;
            var expression = field.Operator switch
            {
                ProjectOperator.Size => $"CASE WHEN jsonb_typeof({s}) = 'array' THEN to_jsonb(jsonb_array_length({s})) END",
                ProjectOperator.Sum => $"CASE WHEN jsonb_typeof({s}) = 'array' THEN to_jsonb(trim_scale(COALESCE((SELECT sum(x.e::numeric) "
                                       + $"FROM jsonb_array_elements({s}) AS x(e) WHERE jsonb_typeof(x.e) = 'number'), 0)::numeric)) END",
                ProjectOperator.ArrayToObject => $"CASE WHEN jsonb_typeof({s}) = 'array' THEN (SELECT COALESCE(jsonb_object_agg(p.k, p.v ORDER BY p.n), '{{}}'::jsonb) "
                                                 + "FROM (SELECT CASE WHEN jsonb_typeof(x.e) = 'array' THEN x.e ->> 0 ELSE x.e ->> 'k' END AS k, "
                                                 + "CASE WHEN jsonb_typeof(x.e) = 'array' THEN x.e -> 1 ELSE x.e -> 'v' END AS v, x.n "
                                                 + $"FROM jsonb_array_elements({s}) WITH ORDINALITY AS x(e, n) WHERE jsonb_typeof(x.e) IN ('array', 'object')) p "
                                                 + "WHERE p.k IS NOT NULL) END",
                ProjectOperator.ObjectToArray => $"CASE WHEN jsonb_typeof({s}) = 'object' THEN (SELECT COALESCE(jsonb_agg(jsonb_build_object('k', e.key, 'v', e.value) ORDER BY e.key), '[]'::jsonb) "
                                                 + $"FROM jsonb_each({s}) AS e) END",
                ProjectOperator.None => s,
                _ => throw new UnreachableException(),
            };
            selects.Add($"{expression} AS c{columns.Count}");
            columns.Add((field.Name, $"c{columns.Count}"));
        }

        var name = NextName("d");
        selects.Add("t._ord AS _ord");
        _ctes.Add($"{name} AS (SELECT {string.Join(", ", selects)} FROM {input.Name} t)");
        return new DerivedRelation(name, columns, keptKeys);
    }

    private DerivedRelation Unwind(DerivedRelation input, UnwindStage unwind)
    {
        var resolver = new DerivedResolver(input, "t");
        var (column, subPath) = resolver.Find(unwind.FieldPath) ?? throw new QueryException(ErrorCodes.InvalidQuery, $"{unwind.Path}.path",
            $"Unknown path '{unwind.FieldPath}' at this stage; its input has {string.Join(", ", input.Columns.Select(c => c.Name))}.");
        string value;
        string replacement;
        if (subPath is null)
        {
            value = $"t.{column}";
            replacement = "e.value";
        }
        else
        {
            var path = _sql.TextArray(subPath);
            value = $"(t.{column} #> {path})";
            replacement = $"jsonb_set(t.{column}, {path}, e.value)";
        }

        var selects = input.Columns.Select(c => c.Column == column ? $"{replacement} AS {c.Column}" : $"t.{c.Column}");
        var name = NextName("d");
        _ctes.Add($"{name} AS (SELECT {string.Join(", ", selects)}, row_number() OVER (ORDER BY t._ord, e.n) AS _ord FROM {input.Name} t "
                  + $"CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof({value}) = 'array' THEN {value} ELSE jsonb_build_array({value}) END) "
                  + $"WITH ORDINALITY AS e(value, n) WHERE {value} IS NOT NULL AND {value} <> 'null'::jsonb)");
        return input with { Name = name };
    }

    private string Paging(PageRequest page)
    {
        var paging = $" LIMIT {_sql.Bigint(page.CappedLimit(_maxResults))}";
        if (page.Offset > 0)
        {
            paging += $" OFFSET {_sql.Bigint(page.Offset)}";
        }

        return paging;
    }

    private SqlStatement Output(DerivedRelation relation, PageRequest page)
    {
        if (relation.Columns.Count > MaxOutputFields)
        {
            throw new QueryException(ErrorCodes.InvalidQuery, "query.aggregate", $"A result row may have at most {MaxOutputFields} fields.");
        }

        // json (not jsonb) keeps the fields in the order the query named them.
        var pairs = relation.Columns.Select(c => $"{_sql.Text(c.Name)}, t.{c.Column}");
        var total = page.Limit > 0 ? $"(SELECT count(*) FROM {relation.Name})" : "NULL::bigint";
        var results = $"(SELECT COALESCE(json_agg(p.obj ORDER BY p._ord), '[]'::json) FROM (SELECT json_build_object({string.Join(", ", pairs)}) AS obj, t._ord "
                      + $"FROM {relation.Name} t ORDER BY t._ord{Paging(page)}) p)";
        return _sql.Build($"WITH {string.Join(",\n", _ctes)}\nSELECT {total}, {results}::text");
    }

    private SqlStatement Distinct(string key, PageRequest page)
    {
        var field = _schema.Resolve(key, "query.distinct", _sql);
        var present = field.Kind == FieldKind.Json
            ? $"{field.Sql} IS NOT NULL AND {field.Sql} <> 'null'::jsonb"
            : $"{field.Sql} IS NOT NULL";
        _ctes.Add($"dv AS (SELECT DISTINCT {field.Sql} AS v FROM s0 t WHERE {present})");
        var order = string.Join(", ", SqlFragments.SortTerms(new ResolvedField("d.v", field.Kind, false), false));
        var total = page.Limit > 0 ? "(SELECT count(*) FROM dv)" : "NULL::bigint";
        var results = $"(SELECT COALESCE(json_agg(p.j ORDER BY p.n), '[]'::json) FROM (SELECT x.j, x.n FROM (SELECT {SqlFragments.ToJson("d.v", field.Kind)} AS j, "
                      + $"row_number() OVER (ORDER BY {order}) AS n FROM dv d) x ORDER BY x.n{Paging(page)}) p)";
        return _sql.Build($"WITH {string.Join(",\n", _ctes)}\nSELECT {total}, {results}::text");
    }
}
