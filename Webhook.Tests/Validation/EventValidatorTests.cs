using FluentValidation.TestHelper;
using Webhook.Api.Events;
using Webhook.Api.Common;
using Webhook.Domain.Common;

namespace Webhook.Tests.Validation;

public sealed class EventValidatorTests
{
    public EventValidatorTests() => ValidationExtensions.NameFieldsAsOnTheWire();

    private static readonly JsonElement EmptyObject = JsonSerializer.SerializeToElement(new { });

    private static ReplayEventsRequest Replay(string? start, string? end) => new("webhook-1", "domain-1", start, end, null);

    [Fact]
    public void Get_WhenDomainLeftOut_IsFine_ButTooLongDomainIsInvalid()
    {
        var validator = new GetEventRequestValidator();

        var missing = validator.TestValidate(new GetEventRequest("event-1", null, null));
        var tooLong = validator.TestValidate(new GetEventRequest("event-1", new string('d', 256), null));

        missing.ShouldNotHaveValidationErrorFor(r => r.DomainId);
        tooLong.ShouldHaveValidationErrorFor(r => r.DomainId).WithErrorCode(ErrorCodes.InvalidArgument);
    }

    [Theory]
    [InlineData("domain-1\u0000")]
    [InlineData("domain\u001b[31m")]
    [InlineData("domain-\uFFFD")]
    public void Get_DomainWithControlCharactersOrInvalidUtf8_IsInvalid_BeforeAnySql(string domain)
    {
        var result = new GetEventRequestValidator().TestValidate(new GetEventRequest("event-1", domain, null));

        result.ShouldHaveValidationErrorFor(r => r.DomainId).WithErrorCode(ErrorCodes.InvalidArgument)
            .WithErrorMessage("Must not contain control characters or invalid UTF-8.");
    }

    [Theory]
    [InlineData("ALERT", "CRITICAL", true)]
    [InlineData("RECOVERY", "NOT_AVAILABLE", true)]
    [InlineData(null, null, true)]
    [InlineData("alert", null, false)]
    [InlineData("WARNING", null, false)]
    [InlineData(null, "critical", false)]
    [InlineData(null, "ALERT", false)]
    public void List_AcceptsOnlyTheExactEventTypesAndSeverities(string? eventType, string? severity, bool valid)
    {
        var request = new ListEventsRequest("domain-1", null, null, eventType, severity, null, null);

        var result = new ListEventsRequestValidator().TestValidate(request);

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.All(result.Errors, e => Assert.Equal(ErrorCodes.InvalidArgument, e.ErrorCode));
        }
    }

    [Fact]
    public void Search_ChecksEventTypeAndSeverity_DomainMayBeLeftOut()
    {
        var request = new EventQueryRequest(null, null, null, "BAD", "BAD", null, null, null);

        var result = new EventQueryRequestValidator().TestValidate(request);

        result.ShouldNotHaveValidationErrorFor(r => r.DomainId);
        result.ShouldHaveValidationErrorFor(r => r.EventType).WithErrorMessage("Must be one of ALERT, RECOVERY, ERROR.");
        result.ShouldHaveValidationErrorFor(r => r.Severity).WithErrorCode(ErrorCodes.InvalidArgument);
    }

    [Fact]
    public void Stat_WhenQueryMissing_ReportsIt_DomainMayBeLeftOut()
    {
        var validator = new EventStatRequestValidator();

        var missing = validator.TestValidate(new EventStatRequest(null, null));
        var given = validator.TestValidate(new EventStatRequest(EmptyObject, "domain-1"));

        missing.ShouldHaveValidationErrorFor(r => r.Query).WithErrorCode(ErrorCodes.RequiredParameter);
        missing.ShouldNotHaveValidationErrorFor(r => r.DomainId);
        given.ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("2024-01-01", null)]
    [InlineData(null, "2024-01-01T10:00:00Z")]
    [InlineData("2024-01-01T10:00:00+09:00", "2024-01-01T10:00:00Z")]
    [InlineData("2024-01-01T09:59:59.999Z", "2024-01-01T10:00:00Z")]
    public void Replay_WhenTimesAreIsoAndInOrder_HasNoErrors(string? start, string? end)
    {
        var result = new ReplayEventsRequestValidator().TestValidate(Replay(start, end));

        result.ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("Monday, 1 January 2024")]
    [InlineData("01/02/2024")]
    [InlineData("2024-13-01")]
    public void Replay_WhenStartIsNotIso_ReportsStart(string start)
    {
        var result = new ReplayEventsRequestValidator().TestValidate(Replay(start, null));

        result.ShouldHaveValidationErrorFor(r => r.Start).WithErrorCode(ErrorCodes.InvalidArgument);
    }

    [Theory]
    [InlineData("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z")]
    [InlineData("2024-01-02", "2024-01-01")]
    [InlineData("2024-01-01T10:00:00Z", "2024-01-01T18:00:00+09:00")]
    public void Replay_WhenEndIsNotAfterStart_ReportsEnd(string start, string end)
    {
        var result = new ReplayEventsRequestValidator().TestValidate(Replay(start, end));

        result.ShouldHaveValidationErrorFor(r => r.End).WithErrorMessage("Must be after start.");
        result.ShouldNotHaveValidationErrorFor(r => r.Start);
    }

    [Fact]
    public void Replay_WhenDomainLeftOut_IsFine()
    {
        var result = new ReplayEventsRequestValidator().TestValidate(new ReplayEventsRequest("webhook-1", null, null, null, null));

        result.ShouldNotHaveValidationErrorFor(r => r.DomainId);
    }
}
