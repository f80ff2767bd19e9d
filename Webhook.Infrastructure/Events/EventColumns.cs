using System.Globalization;
using NpgsqlTypes;
using Webhook.Domain.Events;
using Webhook.Infrastructure.Sql;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// The events columns <see cref="EventStore"/> writes from an <see cref="Event"/>. An event has no raw_data column:
/// the payload is stored once, with its request, and read through request_id.
/// </summary>
internal static class EventColumns
{
    public static ColumnMap<Event> Map { get; } = new(
        "events",
        Of("event_id", NpgsqlDbType.Text, e => e.EventId),
        Of("event_key", NpgsqlDbType.Text, e => e.EventKey),
        Of("event_type", NpgsqlDbType.Text, e => e.EventType),
        Of("title", NpgsqlDbType.Text, e => e.Title),
        Of("description", NpgsqlDbType.Text, e => e.Description),
        Of("severity", NpgsqlDbType.Text, e => e.Severity),
        Of("resource", NpgsqlDbType.Jsonb, e => e.Resource.GetRawText()),
        Of("rule", NpgsqlDbType.Text, e => e.Rule),

        // A missing instant travels as a null in a text array; PostgreSQL parses the ISO text into the column's type.
        Of("occurred_at", NpgsqlDbType.Text, e => e.OccurredAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), storedAs: "timestamptz"),
        Of("additional_info", NpgsqlDbType.Jsonb, e => e.AdditionalInfo.GetRawText()),
        Of("image_url", NpgsqlDbType.Text, e => e.ImageUrl),
        Of("provider", NpgsqlDbType.Text, e => e.Provider),
        Of("account", NpgsqlDbType.Text, e => e.Account),
        // Null for the heartbeat's events, which no request made.
        Of("request_id", NpgsqlDbType.Bigint, e => e.RequestId),
        Of("sequence", NpgsqlDbType.Integer, e => e.Sequence),
        Of("webhook_id", NpgsqlDbType.Text, e => e.WebhookId),
        Of("project_id", NpgsqlDbType.Text, e => e.ProjectId),
        Of("domain_id", NpgsqlDbType.Text, e => e.DomainId),
        Of("created_at", NpgsqlDbType.TimestampTz, e => e.CreatedAt.ToUniversalTime()));

    /// <summary>
    /// True when any of the statement's new event ids is stored already. Event ids are random and no index can hold
    /// them unique across monthly partitions, so the statements that store events look the new ids up in every
    /// partition first (one index probe each) and store nothing on a clash.
    /// </summary>
    public static string IdsTaken { get; } =
        $"EXISTS (SELECT 1 FROM events x WHERE x.event_id = ANY({Map.Parameter("event_id")}::text[]))";

    private static Column<Event> Of<TValue>(string name, NpgsqlDbType type, Func<Event, TValue> value, string? storedAs = null) =>
        new Column<Event, TValue>(name, type, value, storedAs);
}
