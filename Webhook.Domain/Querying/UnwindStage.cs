namespace Webhook.Domain.Querying;

public sealed record UnwindStage(string FieldPath, string Path) : StatStage(Path);
