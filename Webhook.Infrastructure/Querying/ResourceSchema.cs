using System.Text.RegularExpressions;
using Webhook.Domain.Common;
using Webhook.Domain.Querying;

namespace Webhook.Infrastructure.Querying;

/// <summary>How a field's SQL value is typed, which decides comparison, sorting and JSON output.</summary>
internal enum FieldKind
{
    /// <summary>text: compares case-sensitively, sorts with COLLATE "C".</summary>
    Text,

    /// <summary>bigint: compares numerically.</summary>
    Integer,

    /// <summary>timestamptz: compares as an instant, prints as ISO 8601 UTC with milliseconds.</summary>
    Instant,

    /// <summary>jsonb: a JSON string and a JSON number never match each other.</summary>
    Json,
}

/// <summary>
/// One leaf of a resource's response document, which is also a query key (<c>plugin_info.plugin_id</c>).
/// <paramref name="Sql"/> is trusted SQL over the alias <c>t</c>; <paramref name="Open"/> marks free-form jsonb
/// objects whose dotted sub-paths (<c>tags.env</c>) are keys too.
/// </summary>
internal sealed record SchemaField(string Key, string Sql, FieldKind Kind, bool Nullable = false, bool Open = false)
{
    public string[] Segments { get; } = Key.Split('.');
}

/// <summary>A key resolved to trusted SQL (sub-path segments are bound parameters).</summary>
internal sealed record ResolvedField(string Sql, FieldKind Kind, bool Nullable);

/// <summary>
/// What the query language may touch in one resource: its table, the allow-list of keys (each mapped to SQL and a
/// type), the response document (the same keys, nested by their dots), minimal and keyword fields, and the default
/// order. Keys never reach SQL as text: they are looked up here, and sub-paths into free-form objects are bound.
/// </summary>
public sealed partial class ResourceSchema
{
    private readonly Dictionary<string, SchemaField> _fields;

    internal ResourceSchema(
        string name,
        string table,
        IReadOnlyList<SchemaField> fields,
        IReadOnlyList<string> minimalFields,
        IReadOnlyList<string> keywordFields,
        IReadOnlyList<(string Key, bool Desc)> defaultSort,
        bool tiebreakDesc)
    {
        // Table, column and document names are emitted into SQL text; they come from code, and this keeps it so.
        foreach (var identifier in fields.SelectMany(f => f.Segments).Append(table))
        {
            if (!Identifier().IsMatch(identifier))
            {
                throw new ArgumentException($"'{identifier}' is not a plain identifier.", nameof(fields));
            }
        }

        Name = name;
        Table = table;
        Fields = fields;
        _fields = fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        MinimalFields = minimalFields;
        KeywordFields = keywordFields;
        DefaultSort = defaultSort.Select(s => new SortKey(s.Key, s.Desc, "(default sort)")).ToArray();
        TiebreakDesc = tiebreakDesc;
        TopLevel = fields.Select(f => f.Segments[0]).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Resource name used in messages (webhooks, events).</summary>
    public string Name { get; }

    public string Table { get; }

    /// <summary>The leaf keys of the response document, in document order.</summary>
    public IEnumerable<string> Keys => Fields.Select(f => f.Key);

    public IReadOnlyList<string> MinimalFields { get; }

    public IReadOnlyList<string> KeywordFields { get; }

    internal IReadOnlyList<SchemaField> Fields { get; }

    internal IReadOnlyList<SortKey> DefaultSort { get; }

    /// <summary>Direction of the creation-order tiebreak after the default sort (events: newest first).</summary>
    internal bool TiebreakDesc { get; }

    /// <summary>Top-level names of the response document, in order.</summary>
    internal IReadOnlyList<string> TopLevel { get; }

    internal SchemaField Field(string key) => _fields[key];

    /// <summary>Leaves at or under <paramref name="key"/> (a leaf, or a nested object such as plugin_info).</summary>
    internal IReadOnlyList<SchemaField> LeavesUnder(string key) =>
        _fields.TryGetValue(key, out var leaf)
            ? [leaf]
            : Fields.Where(f => f.Key.StartsWith(key + ".", StringComparison.Ordinal)).ToArray();

    /// <summary>The open jsonb field that <paramref name="key"/> points into, and the remaining path.</summary>
    internal (SchemaField Field, string[] SubPath)? OpenPrefix(string key)
    {
        foreach (var field in Fields)
        {
            if (field.Open && key.StartsWith(field.Key + ".", StringComparison.Ordinal))
            {
                return (field, key[(field.Key.Length + 1)..].Split('.'));
            }
        }

        return null;
    }

    /// <summary>Resolves a query key to SQL over alias <c>t</c>, or throws a 400 naming <paramref name="path"/>.</summary>
    internal ResolvedField Resolve(string key, string path, SqlBuilder sql)
    {
        if (_fields.TryGetValue(key, out var field))
        {
            return new ResolvedField(field.Sql, field.Kind, field.Nullable);
        }

        var leaves = LeavesUnder(key);
        if (leaves.Count > 0)
        {
            return new ResolvedField(DocumentObject(key, leaves), FieldKind.Json, false);
        }

        if (OpenPrefix(key) is var (open, subPath))
        {
            return new ResolvedField($"({open.Sql} #> {sql.TextArray(subPath)})", FieldKind.Json, true);
        }

        throw UnknownKey(key, path);
    }

    internal QueryException UnknownKey(string key, string path) =>
        new(ErrorCodes.InvalidQuery, path,
            $"Unknown key '{key}' for {Name}; use one of {string.Join(", ", Keys)} (or a dotted path into {string.Join(", ", Fields.Where(f => f.Open).Select(f => f.Key))}).");

    /// <summary>A jsonb expression for one top-level (or nested) name of the document.</summary>
    internal string DocumentValue(string key)
    {
        if (_fields.TryGetValue(key, out var field))
        {
            return SqlFragments.ToJson(field.Sql, field.Kind);
        }

        return DocumentObject(key, LeavesUnder(key));
    }

    private string DocumentObject(string key, IReadOnlyList<SchemaField> leaves)
    {
        var depth = key.Split('.').Length;
        var children = leaves.Select(l => l.Segments[depth]).Distinct(StringComparer.Ordinal)
            .Select(child => $"'{child}', {DocumentValue(key + "." + child)}");
        return $"jsonb_build_object({string.Join(", ", children)})";
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
