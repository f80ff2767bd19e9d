using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Webhook.Domain.Common;
using Webhook.Domain.Querying;

namespace Webhook.Infrastructure.Querying;

/// <summary>
/// Runs searches and statistics for any <see cref="ResourceSchema"/>, each as parameterised SQL, on the query
/// side's own data source (its statement timeout turns a runaway query into ERROR_QUERY_TIMEOUT).
/// </summary>
public sealed class QueryExecutor
{
    public const long DefaultMaxResults = 1000;

    private static readonly JsonEncodedText ResultsName = JsonEncodedText.Encode("results");
    private static readonly JsonEncodedText TotalCountName = JsonEncodedText.Encode("total_count");

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly long _maxResults;

    /// <param name="maxResults">Most rows one page returns (<c>Webhook:MaxResults</c>).</param>
    public QueryExecutor(NpgsqlDataSource dataSource, long maxResults = DefaultMaxResults)
        : this(dataSource, TimeProvider.System, maxResults)
    {
    }

    internal QueryExecutor(NpgsqlDataSource dataSource, TimeProvider time, long maxResults = DefaultMaxResults)
    {
        _dataSource = dataSource;
        _time = time;
        _maxResults = maxResults;
    }

    /// <summary>The page as the response body, <c>{"results": [...], "total_count": N}</c>.</summary>
    public async Task<RenderedJson> RenderSearchAsync(
        ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, Query query, CancellationToken ct) =>
        (await RenderAsync(schema, scope, query, firstOnly: false, ct))!;

    /// <summary>The first matching document alone (get by id), or null when nothing matches.</summary>
    public Task<RenderedJson?> RenderFirstAsync(
        ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, Query query, CancellationToken ct) =>
        RenderAsync(schema, scope, query, firstOnly: true, ct);

    /// <summary>The page as documents, for callers that inspect them (tests); responses use the rendered forms.</summary>
    public async Task<SearchPage> SearchAsync(ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, Query query, CancellationToken ct)
    {
        using var rendered = await RenderSearchAsync(schema, scope, query, ct);
        var body = JsonNode.Parse(rendered.Utf8.Span)!.AsObject();
        return new SearchPage([.. body["results"]!.AsArray().Select(d => d!.AsObject())], (long)body["total_count"]!);
    }

    private async Task<RenderedJson?> RenderAsync(
        ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, Query query, bool firstOnly, CancellationToken ct)
    {
        var translated = SearchTranslator.Translate(schema, scope, query, _time.GetUtcNow(), _maxResults);
        var output = new RenderedJson();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            using var writer = new Utf8JsonWriter(output);
            try
            {
                if (translated.Page is null)
                {
                    await using var countOnly = translated.Count.ToCommand(connection);
                    var count = (long)(await countOnly.ExecuteScalarAsync(ct))!;
                    writer.WriteStartObject();
                    writer.WriteStartArray(ResultsName);
                    writer.WriteEndArray();
                    writer.WriteNumber(TotalCountName, count);
                    writer.WriteEndObject();
                    writer.Flush();
                    return output;
                }

                // One round trip: the page (always capped), then the count of every match.
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(translated.Page.ToBatchCommand());
                if (!firstOnly)
                {
                    batch.BatchCommands.Add(translated.Count.ToBatchCommand());
                }

                var layout = translated.Output.Layout;
                await using var reader = await batch.ExecuteReaderAsync(ct);
                if (!firstOnly)
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray(ResultsName);
                }

                long rows = 0;
                while ((!firstOnly || rows == 0) && await reader.ReadAsync(ct))
                {
                    rows++;
                    if (layout is null)
                    {
                        ReadDocument(reader, translated.Output.Columns).WriteTo(writer);
                    }
                    else
                    {
                        layout.Write(writer, reader);
                    }
                }

                if (firstOnly)
                {
                    writer.Flush();
                    if (rows > 0)
                    {
                        return output;
                    }

                    output.Dispose();
                    return null;
                }

                var total = rows;
                if (await reader.NextResultAsync(ct) && await reader.ReadAsync(ct))
                {
                    total = reader.GetInt64(0);
                }

                writer.WriteEndArray();
                writer.WriteNumber(TotalCountName, total);
                writer.WriteEndObject();
                writer.Flush();
                return output;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.QueryCanceled && !ct.IsCancellationRequested)
            {
                throw TimedOut();
            }
            catch (PostgresException ex) when (IsCausedByQuery(ex))
            {
                throw await ExplainAsync(connection, ex, query.Filter.Concat(query.FilterOr), ct);
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    public async Task<JsonObject> StatAsync(ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, StatisticsQuery query, CancellationToken ct)
    {
        var statement = StatTranslator.Translate(schema, scope, query, _time.GetUtcNow(), _maxResults);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var command = statement.ToCommand(connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var response = new JsonObject
            {
                ["results"] = JsonNode.Parse(reader.GetString(1)),
            };
            if (query.Page.Limit > 0)
            {
                response["total_count"] = reader.GetInt64(0);
            }

            return response;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.QueryCanceled && !ct.IsCancellationRequested)
        {
            throw TimedOut();
        }
        catch (PostgresException ex) when (IsCausedByQuery(ex))
        {
            throw await ExplainAsync(connection, ex, query.Filter.Concat(query.FilterOr), ct);
        }
    }

    /// <summary>The generated SQL of a search, for tests and diagnostics.</summary>
    internal SqlStatement DescribeSearch(ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, Query query)
    {
        var translated = SearchTranslator.Translate(schema, scope, query, _time.GetUtcNow(), _maxResults);
        return translated.Page ?? translated.Count;
    }

    /// <summary>The generated SQL of a statistics query, for tests and diagnostics.</summary>
    internal SqlStatement DescribeStat(ResourceSchema schema, IReadOnlyList<ScopeFilter> scope, StatisticsQuery query) =>
        StatTranslator.Translate(schema, scope, query, _time.GetUtcNow(), _maxResults);

    /// <summary>The query side's statement_timeout cancelled it (our own cancellation is not a timeout).</summary>
    private static QueryException TimedOut() => new(ErrorCodes.QueryTimeout, "query",
        "The query ran past the time limit; narrow it (a tighter filter, a smaller time range, fewer stages).");

    // Regular expressions PostgreSQL rejects (2201B) and other data exceptions (class 22) come from caller values.
    private static bool IsCausedByQuery(PostgresException ex) =>
        ex.SqlState.StartsWith("22", StringComparison.Ordinal);

    /// <summary>Maps a database rejection of caller input to a 400 naming the regex PostgreSQL refused, if that is it.</summary>
    private static async Task<QueryException> ExplainAsync(
        NpgsqlConnection connection, PostgresException ex, IEnumerable<Condition> conditions, CancellationToken ct)
    {
        if (ex.SqlState == PostgresErrorCodes.InvalidRegularExpression)
        {
            foreach (var (pattern, path) in RegexValues(conditions))
            {
                await using var probe = new NpgsqlCommand("SELECT '' ~* $1", connection);
                probe.Parameters.Add(new NpgsqlParameter { Value = pattern, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                try
                {
                    await probe.ExecuteScalarAsync(ct);
                }
                catch (PostgresException rejected) when (rejected.SqlState == PostgresErrorCodes.InvalidRegularExpression)
                {
                    return new QueryException(ErrorCodes.InvalidQuery, path,
                        $"'{pattern}' is not a valid regular expression for PostgreSQL: {rejected.MessageText}.");
                }
            }
        }

        return new QueryException(ErrorCodes.InvalidQuery, "query", $"The query cannot be evaluated: {ex.MessageText}.");
    }

    private static IEnumerable<(string Pattern, string Path)> RegexValues(IEnumerable<Condition> conditions)
    {
        foreach (var c in conditions)
        {
            if (c.Operator == QueryOperator.Regex)
            {
                yield return (c.Value.GetString()!, c.ValuePath);
            }
            else if (c.Operator == QueryOperator.RegexIn)
            {
                var i = 0;
                foreach (var v in c.ListValues)
                {
                    yield return (v.GetString()!, $"{c.ValuePath}[{i++}]");
                }
            }
        }
    }

    private static JsonObject ReadDocument(NpgsqlDataReader reader, IReadOnlyList<OutputColumn> columns)
    {
        var document = new JsonObject();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (reader.IsDBNull(i) && column.OmitWhenNull)
            {
                continue;
            }

            var value = reader.IsDBNull(i) ? null : column.Kind switch
            {
                FieldKind.Text => JsonValue.Create(reader.GetString(i)),
                FieldKind.Integer => JsonValue.Create(reader.GetInt64(i)),
                FieldKind.Instant => JsonValue.Create(IsoInstant.Format(reader.GetFieldValue<DateTimeOffset>(i))),
                FieldKind.Json => ToNode(reader.GetFieldValue<JsonElement>(i)),
                _ => throw new UnreachableException(),
            };
            Place(document, column.Path, value);
        }

        return document;
    }

    /// <summary>
    /// A jsonb value as a node, parsed by Npgsql straight from the UTF-8 it receives (no intermediate string)
    /// and left unmaterialised until someone edits it; JSON null is a null node, as JsonNode.Parse gives.
    /// </summary>
    private static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => JsonValue.Create(element),
    };

    private static void Place(JsonObject document, string[] path, JsonNode? value)
    {
        var node = document;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (node[path[i]] is not JsonObject child)
            {
                child = new JsonObject();
                node[path[i]] = child;
            }

            node = child;
        }

        node[path[^1]] = value;
    }
}
