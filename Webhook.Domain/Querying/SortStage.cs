namespace Webhook.Domain.Querying;

public sealed record SortStage(IReadOnlyList<SortKey> Keys, string Path) : StatStage(Path);
