namespace Webhook.Domain.Querying;

/// <summary>One stage of a statistics query's <c>aggregate</c> list; <see cref="Path"/> names it for errors.</summary>
public abstract record StatStage(string Path);
