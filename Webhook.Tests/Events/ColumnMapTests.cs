using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using NpgsqlTypes;
using Webhook.Api.Events;
using Webhook.Domain.Events;
using Webhook.Infrastructure;
using Webhook.Infrastructure.Events;
using Webhook.Infrastructure.Querying;
using Webhook.Infrastructure.Sql;

namespace Webhook.Tests.Events;

/// <summary>
/// The event columns are named in the hand-written statements' column map, the EF model (which makes the
/// migrations), the query language's allow-list, the replay document and the Swagger record. These tests tie them
/// together, so a column added to one and forgotten in another fails here rather than in production.
/// </summary>
public sealed class ColumnMapTests
{
    // Written by the statements themselves rather than from a parameter (see EventStore, IngestWriter).
    private static readonly string[] RequestColumnsWrittenInSql = ["domain_id", "status", "attempts", "next_attempt_at"];

    // Shown by the API but stored elsewhere: the payload lives once, with the raw request (issue 11).
    private static readonly Dictionary<string, string> EventFieldsReadThrough = new()
    {
        ["raw_data"] = ResourceSchemas.RawDataThroughRequest,
    };

    // Plumbing of parsing (which request, which position), not part of an event as the API shows it.
    private static readonly string[] EventColumnsNotInDocument = ["request_id", "sequence"];

    [Fact]
    public void Unnest_NumbersParametersFromTheFirstAndTypesEachArray()
    {
        var map = new ColumnMap<(long Id, string Name)>(
            "things",
            new Column<(long Id, string Name), long>("id", NpgsqlDbType.Bigint, r => r.Id),
            new Column<(long Id, string Name), string>("name", NpgsqlDbType.Text, r => r.Name, storedAs: "citext"));

        var unnest = map.Unnest("t", firstParameter: 3);

        Assert.Equal("unnest($3::bigint[], $4::text[]) AS t(id, name)", unnest);
        Assert.Equal("id, name", map.Names);
        Assert.Equal("t.id, t.name::citext", map.Values("t"));
    }

    [Fact]
    public void AddParameters_AddsOneTypedArrayPerColumnInColumnOrder()
    {
        var map = new ColumnMap<(long Id, string Name)>(
            "things",
            new Column<(long Id, string Name), long>("id", NpgsqlDbType.Bigint, r => r.Id),
            new Column<(long Id, string Name), string>("name", NpgsqlDbType.Text, r => r.Name));
        using var command = new Npgsql.NpgsqlCommand();

        map.AddParameters(command.Parameters, [(1, "a"), (2, "b")]);

        Assert.Equal(2, command.Parameters.Count);
        Assert.Equal(NpgsqlDbType.Array | NpgsqlDbType.Bigint, command.Parameters[0].NpgsqlDbType);
        Assert.Equal(new long[] { 1, 2 }, command.Parameters[0].Value);
        Assert.Equal(NpgsqlDbType.Array | NpgsqlDbType.Text, command.Parameters[1].NpgsqlDbType);
        Assert.Equal(new[] { "a", "b" }, command.Parameters[1].Value);
    }

    [Fact]
    public void EventMap_WritesEveryColumnOfTheEfModelWithItsType()
    {
        var table = EfTable(typeof(Event));

        var written = EventColumns.Map.Columns.Select(c => c.Name);

        Assert.Equal("events", EventColumns.Map.Table);
        Assert.Equal(table.Keys.Where(c => c != "id").Order(), written.Order());
        AssertTypesMatch(EventColumns.Map, table);
    }

    [Fact]
    public void RequestMap_WritesEveryRequiredColumnOfTheEfModelWithItsType()
    {
        var table = EfTable(typeof(WebhookRequest));

        var written = WebhookRequestColumns.Map.Columns.Select(c => c.Name).Concat(RequestColumnsWrittenInSql).ToHashSet();

        Assert.Equal("webhook_requests", WebhookRequestColumns.Map.Table);
        Assert.Empty(written.Except(table.Keys));
        var left = table.Where(c => c.Key != "id" && !written.Contains(c.Key)).ToList();
        Assert.All(left, c => Assert.True(c.Value.IsNullable, $"{c.Key} is required but no statement writes it."));
        AssertTypesMatch(WebhookRequestColumns.Map, table);
    }

    [Fact]
    public void EventsQuerySchema_HasAFieldForEveryColumnTheApiShows()
    {
        var shown = EventColumns.Map.Columns.Select(c => c.Name).Except(EventColumnsNotInDocument)
            .Concat(EventFieldsReadThrough.Keys);

        var fields = ResourceSchemas.Events.Fields.ToDictionary(f => f.Key, f => f.Sql);

        Assert.Equal(shown.Order(), fields.Keys.Order());
        Assert.All(fields, f => Assert.Equal(EventFieldsReadThrough.GetValueOrDefault(f.Key, $"t.{f.Key}"), f.Value));
    }

    [Fact]
    public void ReplayDocument_HasTheQuerySchemasKeysInItsOrder()
    {
        var @event = Event.FromPlugin(
            new EventInfo("key", "ALERT", "title", null, null, null, null, null, null, null, null, null),
            new EventSource(1, "webhook-1", "name", "project-1", "domain-1"),
            0,
            "event-1",
            null,
            DateTimeOffset.UnixEpoch);

        var document = EventDocuments.Render(@event);

        Assert.Equal(ResourceSchemas.Events.Keys, document.Select(p => p.Key));
    }

    [Fact]
    public void EventInfoResponse_HasTheQuerySchemasKeysInItsOrder()
    {
        var properties = typeof(EventInfoResponse).GetProperties()
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));

        Assert.Equal(ResourceSchemas.Events.Keys, properties);
    }

    private static Dictionary<string, IColumn> EfTable(Type entity)
    {
        var options = new DbContextOptionsBuilder<WebhookDbContext>()
            .UseNpgsql("Host=127.0.0.1")
            .UseSnakeCaseNamingConvention()
            .Options;
        using var db = new WebhookDbContext(options);
        var table = db.GetService<IDesignTimeModel>().Model.FindEntityType(entity)!.GetTableMappings().Single().Table;
        return table.Columns.ToDictionary(c => c.Name);
    }

    private static void AssertTypesMatch<TRow>(ColumnMap<TRow> map, Dictionary<string, IColumn> table)
    {
        foreach (var column in map.Columns)
        {
            var efType = table[column.Name].StoreType switch
            {
                "integer" => "int",
                "timestamp with time zone" => "timestamptz",
                var other => other,
            };
            Assert.True(efType == (column.StoredAs ?? column.SqlType), $"{map.Table}.{column.Name}: {efType} in EF, {column.StoredAs ?? column.SqlType} in the map.");
        }
    }
}
