using System.Text.Json;
using Npgsql;
using Webhook.Domain.Querying;

namespace Webhook.Infrastructure.Querying;

/// <summary>
/// Writes result rows straight to UTF-8 JSON, in exactly the shape, key order and escaping the DOM rendering
/// (<see cref="QueryExecutor"/>'s ReadDocument) gives, without a JsonObject per row: on get by id and search
/// pages, building and serialising that DOM was most of the API's CPU per request. Only for column sets whose
/// documents need no merging (no path inside another, nothing left out when missing): every full, minimal and
/// plain-field <c>only</c> document; other <c>only</c> lists keep the DOM, which merges.
/// </summary>
internal sealed class DocumentLayout
{
    private readonly Node _root;

    private DocumentLayout(Node root) => _root = root;

    /// <summary>The layout of these columns, or null when their document needs the DOM's merge rules.</summary>
    public static DocumentLayout? For(IReadOnlyList<OutputColumn> columns)
    {
        var root = new Node(default, -1, default);
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (column.OmitWhenNull)
            {
                return null;
            }

            var node = root;
            foreach (var segment in column.Path[..^1])
            {
                var child = node.Child(segment);
                if (child is null)
                {
                    child = new Node(JsonEncodedText.Encode(segment), -1, default);
                    node.Children.Add(child);
                }
                else if (child.Column >= 0)
                {
                    return null;
                }

                node = child;
            }

            if (node.Child(column.Path[^1]) is not null)
            {
                return null;
            }

            node.Children.Add(new Node(JsonEncodedText.Encode(column.Path[^1]), i, column.Kind));
        }

        return new DocumentLayout(root);
    }

    public void Write(Utf8JsonWriter writer, NpgsqlDataReader reader) => WriteObject(writer, reader, _root);

    private static void WriteObject(Utf8JsonWriter writer, NpgsqlDataReader reader, Node node)
    {
        writer.WriteStartObject();
        foreach (var child in node.Children)
        {
            writer.WritePropertyName(child.Name);
            if (child.Column < 0)
            {
                WriteObject(writer, reader, child);
            }
            else
            {
                WriteValue(writer, reader, child.Column, child.Kind);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, NpgsqlDataReader reader, int column, FieldKind kind)
    {
        if (reader.IsDBNull(column))
        {
            writer.WriteNullValue();
            return;
        }

        switch (kind)
        {
            case FieldKind.Text:
                writer.WriteStringValue(reader.GetString(column));
                break;
            case FieldKind.Integer:
                writer.WriteNumberValue(reader.GetInt64(column));
                break;
            case FieldKind.Instant:
                writer.WriteStringValue(IsoInstant.Format(reader.GetFieldValue<DateTimeOffset>(column)));
                break;
            default:
                // A JsonDocument (not a JsonElement) so its pooled buffers go back as soon as it is written.
                using (var document = reader.GetFieldValue<JsonDocument>(column))
                {
                    document.RootElement.WriteTo(writer);
                }

                break;
        }
    }

    private sealed record Node(JsonEncodedText Name, int Column, FieldKind Kind)
    {
        public List<Node> Children { get; } = [];

        public Node? Child(string name) => Children.Find(c => c.Name.Value == name);
    }
}
