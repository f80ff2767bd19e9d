namespace Webhook.Domain.Querying;

public sealed record LimitStage(long Count, string Path) : StatStage(Path);
