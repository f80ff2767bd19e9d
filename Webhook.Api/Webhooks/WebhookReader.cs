using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Webhooks;

internal sealed class WebhookReader(QueryExecutor executor) : ResourceReader(executor, ResourceSchemas.Webhooks, "webhook_id");
