using Webhook.Domain.Events;

namespace Webhook.Tests.Domain;

public sealed class EventTests
{
    private static readonly EventSource Source = new(42, "webhook-1", "alerts", "project-1", "domain-1");
    private static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

    private static EventInfo Info(
        string? eventKey = "key-1",
        string? eventType = "ALERT",
        string? title = "CPU high",
        string? severity = "CRITICAL",
        JsonElement? resource = null,
        string? occurredAt = null,
        JsonElement? additionalInfo = null) =>
        new(eventKey, eventType, title, null, severity, resource, null, occurredAt, additionalInfo, null, null, null);

    private static Event From(EventInfo info) => Event.FromPlugin(info, Source, 3, "event-1", null, Now);

    private static string ErrorOf(EventInfo info) => Assert.Throws<InvalidEventException>(() => From(info)).Message;

    [Fact]
    public void FromPlugin_WithValidInfo_CopiesTheSourceAndPosition()
    {
        var raw = JsonSerializer.SerializeToElement(new { alert = "x" });

        var @event = Event.FromPlugin(Info(), Source, 3, "event-1", raw, Now);

        Assert.Equal("event-1", @event.EventId);
        Assert.Equal(42, @event.RequestId);
        Assert.Equal(3, @event.Sequence);
        Assert.Equal("webhook-1", @event.WebhookId);
        Assert.Equal("project-1", @event.ProjectId);
        Assert.Equal("domain-1", @event.DomainId);
        Assert.Equal("x", @event.RawData!.Value.GetProperty("alert").GetString());
        Assert.Equal(Now, @event.CreatedAt);
    }

    [Fact]
    public void FromPlugin_NormalisesTypeAndSeverityToUpperCase_AndTrimsKeyAndTitle()
    {
        var @event = From(Info(eventKey: "  key-1 ", eventType: " recovery ", title: "  CPU high\t", severity: " warning "));

        Assert.Equal("RECOVERY", @event.EventType);
        Assert.Equal("WARNING", @event.Severity);
        Assert.Equal("key-1", @event.EventKey);
        Assert.Equal("CPU high", @event.Title);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void FromPlugin_WhenSeverityMissing_UsesNotAvailable(string? severity)
    {
        var @event = From(Info(severity: severity));

        Assert.Equal(Severities.NotAvailable, @event.Severity);
    }

    [Fact]
    public void FromPlugin_WhenOptionalTextMissing_StoresEmptyStrings_AndEmptyObjects()
    {
        var @event = From(Info());

        Assert.Equal("", @event.Description);
        Assert.Equal("", @event.Rule);
        Assert.Equal("", @event.ImageUrl);
        Assert.Equal("", @event.Provider);
        Assert.Equal("", @event.Account);
        Assert.Null(@event.OccurredAt);
        Assert.Equal("{}", @event.Resource.GetRawText());
        Assert.Equal("{}", @event.AdditionalInfo.GetRawText());
    }

    [Fact]
    public void FromPlugin_WhenResourceIsJsonNull_StoresAnEmptyObject_AndKeepsAGivenObject()
    {
        var nullResource = From(Info(resource: JsonSerializer.SerializeToElement<object?>(null)));
        var withResource = From(Info(resource: JsonSerializer.SerializeToElement(new { name = "vm-1" })));

        Assert.Equal("{}", nullResource.Resource.GetRawText());
        Assert.Equal("vm-1", withResource.Resource.GetProperty("name").GetString());
    }

    [Fact]
    public void FromPlugin_WhenTitleLongerThanTheLimit_CutsItAtTheLimit()
    {
        var title = new string('t', Event.MaxTitleLength + 5);

        var @event = From(Info(title: title));

        Assert.Equal(title[..Event.MaxTitleLength], @event.Title);
    }

    [Fact]
    public void FromPlugin_WhenKeyAtTheLimit_IsAccepted()
    {
        var @event = From(Info(eventKey: new string('k', Event.MaxKeyLength)));

        Assert.Equal(Event.MaxKeyLength, @event.EventKey.Length);
    }

    [Theory]
    [InlineData("2024-01-01T10:00:00+09:00", "2024-01-01T01:00:00.0000000+00:00")]
    [InlineData("2024-01-01T10:00:00Z", "2024-01-01T10:00:00.0000000+00:00")]
    [InlineData("2024-01-01T10:00:00", "2024-01-01T10:00:00.0000000+00:00")]
    [InlineData("2024-01-01", "2024-01-01T00:00:00.0000000+00:00")]
    [InlineData(" 2024-01-01T10:00:00.5Z ", "2024-01-01T10:00:00.5000000+00:00")]
    public void FromPlugin_ParsesOccurredAtAsTheSameInstantInUtc(string occurredAt, string expected)
    {
        var @event = From(Info(occurredAt: occurredAt));

        Assert.Equal(TimeSpan.Zero, @event.OccurredAt!.Value.Offset);
        Assert.Equal(expected, @event.OccurredAt.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void FromPlugin_TruncatesCreatedAtToMilliseconds()
    {
        var now = Now.AddTicks(4567);

        var @event = Event.FromPlugin(Info(), Source, 0, "event-1", null, now);

        Assert.Equal(Now, @event.CreatedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("WARNING")]
    [InlineData("ALERTS")]
    public void FromPlugin_WhenEventTypeUnknown_NamesEventType(string? eventType)
    {
        var message = ErrorOf(Info(eventType: eventType));

        Assert.Equal($"event_type must be one of ALERT, RECOVERY, ERROR, got '{eventType}'.", message);
    }

    [Fact]
    public void FromPlugin_WhenSeverityUnknown_NamesSeverity()
    {
        var message = ErrorOf(Info(severity: "urgent"));

        Assert.StartsWith("severity must be one of CRITICAL, ERROR, WARNING, INFO, NOT_AVAILABLE, NONE", message);
        Assert.EndsWith("got 'urgent'.", message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void FromPlugin_WhenKeyMissing_SaysKeyIsRequired(string? eventKey)
    {
        Assert.Equal("event_key is required.", ErrorOf(Info(eventKey: eventKey)));
    }

    [Fact]
    public void FromPlugin_WhenKeyTooLong_SaysTheLimit()
    {
        Assert.Equal("event_key must be at most 1000 characters.", ErrorOf(Info(eventKey: new string('k', Event.MaxKeyLength + 1))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void FromPlugin_WhenTitleMissing_SaysTitleIsRequired(string? title)
    {
        Assert.Equal("title is required.", ErrorOf(Info(title: title)));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("Monday, 1 January 2024")]
    [InlineData("01/02/2024 10:00")]
    [InlineData("2024-02-30")]
    public void FromPlugin_WhenOccurredAtNotIso_NamesOccurredAt(string occurredAt)
    {
        Assert.Equal($"occurred_at must be an ISO 8601 time, got '{occurredAt}'.", ErrorOf(Info(occurredAt: occurredAt)));
    }

    [Fact]
    public void FromPlugin_WhenResourceNotAnObject_NamesResource()
    {
        var message = ErrorOf(Info(resource: JsonSerializer.SerializeToElement(new[] { "vm-1" })));

        Assert.Equal("resource must be an object.", message);
    }

    [Fact]
    public void FromPlugin_WhenAdditionalInfoNotAnObject_NamesAdditionalInfo()
    {
        var message = ErrorOf(Info(additionalInfo: JsonSerializer.SerializeToElement("text")));

        Assert.Equal("additional_info must be an object.", message);
    }

    [Fact]
    public void ParseError_DescribesTheWebhookAndReason()
    {
        var @event = Event.ParseError(Source, "prometheus", "not JSON", "event-9", null, Now.AddTicks(1));

        Assert.Equal(EventTypes.Error, @event.EventType);
        Assert.Equal(Severities.Error, @event.Severity);
        Assert.Equal("webhook-1:parse-error:42", @event.EventKey);
        Assert.Equal("Webhook 'alerts' (webhook-1) could not parse an event", @event.Title);
        Assert.Equal("not JSON", @event.Description);
        Assert.Equal("prometheus", @event.AdditionalInfo.GetProperty("plugin_id").GetString());
        Assert.Equal("42", @event.AdditionalInfo.GetProperty("request_id").GetString());
        Assert.Equal("webhook", @event.Resource.GetProperty("resource_type").GetString());
        Assert.Equal(0, @event.Sequence);
        Assert.Equal(42, @event.RequestId);
        Assert.Equal(Now, @event.OccurredAt);
        Assert.Equal(Now, @event.CreatedAt);
    }

    [Fact]
    public void ParseError_WhenWebhookNameIsLong_CutsTheTitleAtTheLimit()
    {
        var source = Source with { WebhookName = new string('n', Event.MaxTitleLength) };

        var @event = Event.ParseError(source, "prometheus", "bad", "event-9", null, Now);

        Assert.Equal(Event.MaxTitleLength, @event.Title.Length);
    }

    [Fact]
    public void ReplaceEventId_ChangesOnlyTheId()
    {
        var @event = From(Info());

        @event.ReplaceEventId("event-2");

        Assert.Equal("event-2", @event.EventId);
        Assert.Equal("key-1", @event.EventKey);
    }
}
