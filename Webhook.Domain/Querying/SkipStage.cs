namespace Webhook.Domain.Querying;

public sealed record SkipStage(long Count, string Path) : StatStage(Path);
