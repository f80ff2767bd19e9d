namespace Webhook.Domain.Querying;

public sealed record SortKey(string Key, bool Desc, string Path);
