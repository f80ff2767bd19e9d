using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Events;

internal sealed class EventReader(QueryExecutor executor) : ResourceReader(executor, ResourceSchemas.Events, "event_id");
