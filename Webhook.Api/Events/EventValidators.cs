using Webhook.Domain.Events;

namespace Webhook.Api.Events;

internal static class EventRules
{
    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlySet<string> values) =>
        rule.Must(v => v is null || values.Contains(v)).WithErrorCode(ErrorCodes.InvalidArgument)
            .WithMessage($"Must be one of {string.Join(", ", values)}.");

    public static IRuleBuilderOptions<T, string?> IsoTime<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || ReplayTimes.TryParse(v, out _)).WithErrorCode(ErrorCodes.InvalidArgument)
            .WithMessage("Must be an ISO 8601 time such as 2024-01-01T10:00:00Z.");
}

internal static class ReplayTimes
{
    /// <summary>ISO 8601 (date, or date and time; no zone means UTC).</summary>
    public static bool TryParse(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out value)
        && text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-';

    public static DateTimeOffset? Parse(string? text) =>
        text is not null && TryParse(text, out var value) ? value.ToUniversalTime() : null;
}

internal sealed class GetEventRequestValidator : AbstractValidator<GetEventRequest>
{
    public GetEventRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class ListEventsRequestValidator : AbstractValidator<ListEventsRequest>
{
    public ListEventsRequestValidator()
    {
        RuleFor(r => r.DomainId).Id();
        RuleFor(r => r.EventType).OneOf(EventTypes.All);
        RuleFor(r => r.Severity).OneOf(Severities.All);
    }
}

internal sealed class EventQueryRequestValidator : AbstractValidator<EventQueryRequest>
{
    public EventQueryRequestValidator()
    {
        RuleFor(r => r.DomainId).Id();
        RuleFor(r => r.EventType).OneOf(EventTypes.All);
        RuleFor(r => r.Severity).OneOf(Severities.All);
    }
}

internal sealed class EventStatRequestValidator : AbstractValidator<EventStatRequest>
{
    public EventStatRequestValidator()
    {
        RuleFor(r => r.DomainId).Id();
        RuleFor(r => r.Query).NotNull().WithErrorCode(ErrorCodes.RequiredParameter).WithMessage("Required parameter.");
    }
}

internal sealed class ReplayEventsRequestValidator : AbstractValidator<ReplayEventsRequest>
{
    public ReplayEventsRequestValidator()
    {
        RuleFor(r => r.DomainId).Id();
        RuleFor(r => r.Start).IsoTime();
        RuleFor(r => r.End).IsoTime();
        RuleFor(r => r.End)
            .Must((r, end) => ReplayTimes.Parse(r.Start) is not { } start || ReplayTimes.Parse(end) is not { } stop || start < stop)
            .WithErrorCode(ErrorCodes.InvalidArgument).WithMessage("Must be after start.");
    }
}

internal sealed class TestWebhookRequestValidator : AbstractValidator<TestWebhookRequest>
{
    public TestWebhookRequestValidator()
    {
        RuleFor(r => r.DomainId).Id();
        RuleFor(r => r.Data).Must(d => d is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined })
            .WithErrorCode(ErrorCodes.RequiredParameter).WithMessage("Required parameter.");
    }
}
