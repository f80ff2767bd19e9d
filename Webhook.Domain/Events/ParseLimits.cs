namespace Webhook.Domain.Events;

/// <summary>Bounds on what one request may turn into (<c>Webhook:MaxEventsPerRequest</c>).</summary>
/// <param name="MaxEventsPerRequest">Events kept per request; one ERROR event says how many more were dropped.</param>
public sealed record ParseLimits(int MaxEventsPerRequest)
{
    public static ParseLimits Default { get; } = new(1000);
}
