using Webhook.Domain.Events;
using Webhook.Domain.Plugins;

namespace Webhook.Tests.Domain;

/// <summary>
/// A hand-written plugin port for unit tests of Domain logic: init answers metadata naming the endpoint it was
/// called on, and every call is recorded. HTTP behaviour is tested against the real plugin host, not this.
/// </summary>
internal sealed class FakePluginGateway : IPluginGateway
{
    public List<(string Call, Uri Endpoint, JsonElement Options)> Calls { get; } = [];

    /// <summary>Thrown by the next init or verify instead of answering.</summary>
    public Exception? Failure { get; set; }

    public static JsonElement MetadataFor(Uri endpoint) => JsonSerializer.SerializeToElement(new { initialised_at = endpoint.ToString() });

    public Task<JsonElement> InitAsync(Uri endpoint, JsonElement options, CancellationToken cancellationToken)
    {
        Calls.Add(("init", endpoint, options));
        return Failure is { } failure ? Task.FromException<JsonElement>(failure) : Task.FromResult(MetadataFor(endpoint));
    }

    public Task VerifyAsync(Uri endpoint, JsonElement options, CancellationToken cancellationToken)
    {
        Calls.Add(("verify", endpoint, options));
        return Failure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task<IReadOnlyList<EventInfo>> ParseAsync(Uri endpoint, JsonElement options, JsonElement data, CancellationToken cancellationToken) =>
        throw new NotSupportedException("PluginBinder never parses.");
}
