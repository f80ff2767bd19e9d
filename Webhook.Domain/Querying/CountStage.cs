namespace Webhook.Domain.Querying;

public sealed record CountStage(string Name, string Path) : StatStage(Path);
