namespace Webhook.Domain;
