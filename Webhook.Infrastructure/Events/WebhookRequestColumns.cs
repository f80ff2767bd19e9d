using NpgsqlTypes;
using Webhook.Infrastructure.Sql;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// The webhook_requests columns <see cref="IngestWriter"/> writes from an accepted request and its webhook's internal
/// id. status, attempts and next_attempt_at are not among them: every new row starts pending and due at once, which
/// the statement writes itself.
/// </summary>
internal static class WebhookRequestColumns
{
    public static ColumnMap<(PendingIngest Item, long Ref)> Map { get; } = new(
        "webhook_requests",
        Of("webhook_ref", NpgsqlDbType.Bigint, a => a.Ref),
        Of("received_at", NpgsqlDbType.TimestampTz, a => a.Item.Request.ReceivedAt.ToUniversalTime()),
        Of("content_type", NpgsqlDbType.Text, a => a.Item.Request.ContentType),
        Of("headers", NpgsqlDbType.Jsonb, a => a.Item.Request.HeadersJson),
        Of("payload", NpgsqlDbType.Jsonb, a => a.Item.Request.PayloadJson));

    private static Column<(PendingIngest Item, long Ref)> Of<TValue>(
        string name, NpgsqlDbType type, Func<(PendingIngest Item, long Ref), TValue> value) =>
        new Column<(PendingIngest Item, long Ref), TValue>(name, type, value);
}
