namespace Webhook.Infrastructure;
