using System.Runtime.CompilerServices;
using Webhook.Domain.Querying;

namespace Webhook.Infrastructure.Querying;

/// <summary>One value of a search result row: where it goes in the response document and how to read it.</summary>
/// <param name="Path">Response document path (<c>plugin_info.plugin_id</c> → [plugin_info, plugin_id]).</param>
/// <param name="OmitWhenNull">Dotted paths into free-form objects that do not exist are left out, not nulled.</param>
internal sealed record OutputColumn(string[] Path, FieldKind Kind, bool OmitWhenNull);

/// <summary>What a search selects, and how each row becomes its document.</summary>
internal sealed class SearchOutput(string selectList, IReadOnlyList<OutputColumn> columns)
{
    public static readonly SearchOutput None = new("", []);

    public string SelectList { get; } = selectList;

    public IReadOnlyList<OutputColumn> Columns { get; } = columns;

    /// <summary>Null when the documents need the DOM's merge rules (see <see cref="DocumentLayout.For"/>).</summary>
    public DocumentLayout? Layout { get; } = DocumentLayout.For(columns);
}

/// <summary>The generated statements of one search: the page (absent when count_only) and the total count.</summary>
internal sealed record TranslatedSearch(SqlStatement? Page, SqlStatement Count, SearchOutput Output);

internal static class SearchTranslator
{
    // Whole documents (every get, most searches) and minimal ones select the same columns every time: their select
    // list and layout are built once per schema, not per request.
    private static readonly ConditionalWeakTable<ResourceSchema, SearchOutput> WholeDocuments = new();
    private static readonly ConditionalWeakTable<ResourceSchema, SearchOutput> MinimalDocuments = new();

    /// <param name="maxResults">The most rows a page may hold: a missing (0) or larger <c>page.limit</c> gets this.</param>
    public static TranslatedSearch Translate(
        ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, Query query, DateTimeOffset now, long maxResults)
    {
        var sql = new SqlBuilder();
        var where = Where(schema, scope, query.Filter, query.FilterOr, query.Keywords, sql, now);
        var from = $"FROM {schema.Table} t WHERE {where}";
        var whereParameters = sql.Count;
        var count = sql.Build($"SELECT count(*) {from}", whereParameters);
        if (query.CountOnly)
        {
            return new TranslatedSearch(null, count, SearchOutput.None);
        }

        var output = query.Only.Count > 0 ? Output(schema, query, sql)
            : query.Minimal ? MinimalDocuments.GetValue(schema, s => FixedOutput(s, Query.Empty with { Minimal = true }))
            : WholeDocuments.GetValue(schema, s => FixedOutput(s, Query.Empty));
        var orderBy = OrderBy(schema, query.Sort, sql);
        var paging = $" LIMIT {sql.Bigint(query.Page.CappedLimit(maxResults))}";
        if (query.Page.Offset > 0)
        {
            paging += $" OFFSET {sql.Bigint(query.Page.Offset)}";
        }

        var page = sql.Build($"SELECT {output.SelectList} {from} ORDER BY {orderBy}{paging}");
        return new TranslatedSearch(page, count, output);
    }

    /// <summary>Scope AND filter AND (filter_or) AND (keyword): nothing in the query can widen the scope.</summary>
    internal static string Where(
        ResourceSchema schema,
        IReadOnlyList<ScopeFilter> scope,
        IReadOnlyList<Condition> filter,
        IReadOnlyList<Condition> filterOr,
        IReadOnlyList<string> keywords,
        SqlBuilder sql,
        DateTimeOffset now)
    {
        var parts = new List<string>();
        foreach (var s in scope)
        {
            var field = schema.Keys.Contains(s.Key, StringComparer.Ordinal) ? schema.Field(s.Key) : null;
            if (field is not { Kind: FieldKind.Text })
            {
                throw new ArgumentException($"Scope key '{s.Key}' is not a plain text field of {schema.Name}.", nameof(scope));
            }

            parts.Add(s.Values.Count == 1
                ? $"{field.Sql} = {sql.Text(s.Values[0])}"
                : $"{field.Sql} = ANY({sql.TextArray([.. s.Values])})");
        }

        var resolver = new SchemaResolver(schema);
        parts.AddRange(filter.Select(c => SqlFragments.Condition(c, resolver, sql, now)));
        if (filterOr.Count > 0)
        {
            parts.Add("(" + string.Join(" OR ", filterOr.Select(c => SqlFragments.Condition(c, resolver, sql, now))) + ")");
        }

        if (keywords.Count > 0)
        {
            var patterns = sql.TextArray(keywords.Select(SqlFragments.EscapeLike).ToArray());
            parts.Add("(" + string.Join(" OR ", schema.KeywordFields.Select(k => $"{schema.Field(k).Sql} ILIKE ANY({patterns})")) + ")");
        }

        return parts.Count == 0 ? "TRUE" : string.Join(" AND ", parts);
    }

    private static SearchOutput FixedOutput(ResourceSchema schema, Query query)
    {
        var sql = new SqlBuilder();
        var output = Output(schema, query, sql);
        return sql.Count == 0 ? output : throw new InvalidOperationException(
            $"The fields of {schema.Name}'s {(query.Minimal ? "minimal" : "whole")} document must be plain columns.");
    }

    private static SearchOutput Output(ResourceSchema schema, Query query, SqlBuilder sql)
    {
        var selects = new List<string>();
        var columns = new List<OutputColumn>();
        IEnumerable<(string Key, string Path)> requested = query.Only.Count > 0
            ? query.Only.Select((k, i) => (k, $"query.only[{i}]"))
            : query.Minimal
                ? schema.MinimalFields.Select(k => (k, "minimal"))
                : schema.Keys.Select(k => (k, "(document)"));

        foreach (var (key, path) in requested)
        {
            var leaves = schema.LeavesUnder(key);
            if (leaves.Count > 0)
            {
                foreach (var leaf in leaves)
                {
                    selects.Add(leaf.Sql);
                    columns.Add(new OutputColumn(leaf.Segments, leaf.Kind, false));
                }
            }
            else if (schema.OpenPrefix(key) is var (open, subPath))
            {
                selects.Add($"({open.Sql} #> {sql.TextArray(subPath)})");
                columns.Add(new OutputColumn(key.Split('.'), FieldKind.Json, true));
            }
            else
            {
                throw schema.UnknownKey(key, path);
            }
        }

        return new SearchOutput(string.Join(", ", selects), columns);
    }

    private static string OrderBy(ResourceSchema schema, IReadOnlyList<SortKey> sort, SqlBuilder sql)
    {
        var keys = sort.Count > 0 ? sort : schema.DefaultSort;
        var tiebreakDesc = sort.Count == 0 && schema.TiebreakDesc;
        var terms = keys.SelectMany(k => SqlFragments.SortTerms(schema.Resolve(k.Key, $"{k.Path}.key", sql), k.Desc)).ToList();
        terms.Add(tiebreakDesc ? "t.id DESC" : "t.id ASC");
        return string.Join(", ", terms);
    }
}
