using System.Security.Cryptography;

namespace Webhook.Domain.Common;

/// <summary>Every id and secret the service hands out comes from here, so tests can swap it.</summary>
public interface IIdGenerator
{
    string NewWebhookId();
    string NewEventId();
    string NewAccessKey();

    string NewAuditId() => "audit-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}

public sealed class RandomIdGenerator : IIdGenerator
{
    public string NewWebhookId() => "webhook-" + RandomHex(6);
    public string NewEventId() => "event-" + RandomHex(6);
    public string NewAccessKey() => RandomHex(16);

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
