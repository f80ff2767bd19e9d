using FluentValidation.TestHelper;
using Webhook.Api.Webhooks;
using Webhook.Api.Common;
using Webhook.Domain.Common;

namespace Webhook.Tests.Validation;

public sealed class WebhookValidatorTests
{
    public WebhookValidatorTests() => ValidationExtensions.NameFieldsAsOnTheWire();

    private static readonly JsonElement EmptyObject = JsonSerializer.SerializeToElement(new { });
    private static readonly JsonElement Array = JsonSerializer.SerializeToElement(new[] { 1 });

    private static CreateWebhookRequest ValidCreate() => new(
        "alerts",
        new WebhookPluginInfoRequest("prometheus", null, EmptyObject, null, null),
        EmptyObject,
        "project-1",
        "domain-1");

    [Fact]
    public void Create_WhenComplete_HasNoErrors()
    {
        var result = new CreateWebhookRequestValidator().TestValidate(ValidCreate());

        result.ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WhenNameMissingOrBlank_ReportsRequiredName(string? name)
    {
        var result = new CreateWebhookRequestValidator().TestValidate(ValidCreate() with { Name = name });

        result.ShouldHaveValidationErrorFor(r => r.Name).WithErrorCode(ErrorCodes.RequiredParameter);
    }

    [Fact]
    public void Create_WhenNameAtMaxLength_IsAccepted_AndOneLonger_IsRejected()
    {
        var validator = new CreateWebhookRequestValidator();

        var atMax = validator.TestValidate(ValidCreate() with { Name = new string('n', Webhook.Domain.Webhooks.Webhook.MaxNameLength) });
        var tooLong = validator.TestValidate(ValidCreate() with { Name = new string('n', Webhook.Domain.Webhooks.Webhook.MaxNameLength + 1) });

        atMax.ShouldNotHaveValidationErrorFor(r => r.Name);
        tooLong.ShouldHaveValidationErrorFor(r => r.Name).WithErrorMessage("Must be at most 255 characters.");
    }

    [Fact]
    public void Create_WhenPluginInfoMissing_ReportsOnlyPluginInfo()
    {
        var result = new CreateWebhookRequestValidator().TestValidate(ValidCreate() with { PluginInfo = null });

        result.ShouldHaveValidationErrorFor(r => r.PluginInfo).WithErrorCode(ErrorCodes.RequiredParameter);
        result.ShouldNotHaveValidationErrorFor("plugin_info.plugin_id");
        result.ShouldNotHaveValidationErrorFor("plugin_info.options");
    }

    [Fact]
    public void Create_WhenPluginIdMissing_ReportsTheDottedKey()
    {
        var request = ValidCreate() with { PluginInfo = new WebhookPluginInfoRequest(null, null, null, null, null) };

        var result = new CreateWebhookRequestValidator().TestValidate(request);

        result.ShouldHaveValidationErrorFor("plugin_info.plugin_id").WithErrorCode(ErrorCodes.RequiredParameter);
    }

    [Fact]
    public void Create_WhenPluginOptionsNotAnObject_ReportsWrongType()
    {
        var request = ValidCreate() with { PluginInfo = new WebhookPluginInfoRequest("prometheus", null, Array, null, null) };

        var result = new CreateWebhookRequestValidator().TestValidate(request);

        result.ShouldHaveValidationErrorFor("plugin_info.options").WithErrorCode(ErrorCodes.InvalidParameterType);
    }

    [Fact]
    public void Create_WhenTagsNotAnObject_ReportsWrongType_AndMissingTagsAreFine()
    {
        var validator = new CreateWebhookRequestValidator();

        var asArray = validator.TestValidate(ValidCreate() with { Tags = Array });
        var missing = validator.TestValidate(ValidCreate() with { Tags = null });

        asArray.ShouldHaveValidationErrorFor(r => r.Tags).WithErrorCode(ErrorCodes.InvalidParameterType);
        missing.ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void Create_WhenProjectMissing_ReportsIt_ButDomainMayBeLeftOutForTheTokens()
    {
        var result = new CreateWebhookRequestValidator().TestValidate(ValidCreate() with { ProjectId = null, DomainId = "" });

        result.ShouldHaveValidationErrorFor(r => r.ProjectId).WithErrorCode(ErrorCodes.RequiredParameter);
        result.ShouldNotHaveValidationErrorFor(r => r.DomainId);
    }

    [Fact]
    public void Create_NamesFieldsAsTheWireSpellsThem()
    {
        var request = ValidCreate() with { PluginInfo = null, ProjectId = null, DomainId = new string('d', 256) };

        var result = new CreateWebhookRequestValidator().TestValidate(request);

        Assert.Equal(["plugin_info", "project_id", "domain_id"], result.Errors.Select(e => e.PropertyName));
    }

    [Fact]
    public void Create_WhenDomainIdLongerThanAnId_ReportsInvalidArgument()
    {
        var result = new CreateWebhookRequestValidator().TestValidate(ValidCreate() with { DomainId = new string('d', 256) });

        result.ShouldHaveValidationErrorFor(r => r.DomainId).WithErrorCode(ErrorCodes.InvalidArgument);
    }

    [Fact]
    public void Update_WhenNameOmitted_IsAccepted_ButEmptyNameIsRejected()
    {
        var validator = new UpdateWebhookRequestValidator();

        var omitted = validator.TestValidate(new UpdateWebhookRequest("webhook-1", null, null, "domain-1"));
        var empty = validator.TestValidate(new UpdateWebhookRequest("webhook-1", "", null, "domain-1"));

        omitted.ShouldNotHaveAnyValidationErrors();
        empty.ShouldHaveValidationErrorFor(r => r.Name).WithErrorMessage("Must not be empty when given.");
    }

    [Fact]
    public void Update_WhenNameTooLongOrTagsNotAnObject_ReportsEach_ButDomainMayBeLeftOut()
    {
        var request = new UpdateWebhookRequest("webhook-1", new string('n', 256), Array, null);

        var result = new UpdateWebhookRequestValidator().TestValidate(request);

        result.ShouldHaveValidationErrorFor(r => r.Name);
        result.ShouldHaveValidationErrorFor(r => r.Tags).WithErrorCode(ErrorCodes.InvalidParameterType);
        result.ShouldNotHaveValidationErrorFor(r => r.DomainId);
    }

    [Fact]
    public void UpdatePlugin_WhenOptionsNotAnObject_ReportsWrongType_AndOmittedOptionsAreFine()
    {
        var validator = new UpdateWebhookPluginRequestValidator();

        var asArray = validator.TestValidate(new UpdateWebhookPluginRequest("webhook-1", null, Array, null, "domain-1"));
        var omitted = validator.TestValidate(new UpdateWebhookPluginRequest("webhook-1", null, null, null, "domain-1"));

        asArray.ShouldHaveValidationErrorFor(r => r.Options).WithErrorCode(ErrorCodes.InvalidParameterType);
        omitted.ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void DomainOnlyRequests_WhenDomainLeftOut_HaveNoErrors_TheTokensDomainIsUsed()
    {
        new WebhookRequestValidator().TestValidate(new WebhookRequest("webhook-1", null))
            .ShouldNotHaveValidationErrorFor(r => r.DomainId);
        new GetWebhookRequestValidator().TestValidate(new GetWebhookRequest("webhook-1", "", null))
            .ShouldNotHaveValidationErrorFor(r => r.DomainId);
        new DeleteWebhookRequestValidator().TestValidate(new DeleteWebhookRequest("webhook-1", null))
            .ShouldNotHaveValidationErrorFor(r => r.DomainId);
        new ListWebhooksRequestValidator().TestValidate(new ListWebhooksRequest(null, null, null, null, null, null, null))
            .ShouldNotHaveValidationErrorFor(r => r.DomainId);
        new WebhookQueryRequestValidator().TestValidate(new WebhookQueryRequest(null, null, null, null, null, null, null, null))
            .ShouldNotHaveValidationErrorFor(r => r.DomainId);
    }

    [Fact]
    public void DomainOnlyRequests_WhenDomainGiven_HaveNoErrors()
    {
        new WebhookRequestValidator().TestValidate(new WebhookRequest("webhook-1", "domain-1")).ShouldNotHaveAnyValidationErrors();
        new GetWebhookRequestValidator().TestValidate(new GetWebhookRequest("webhook-1", "domain-1", null)).ShouldNotHaveAnyValidationErrors();
        new DeleteWebhookRequestValidator().TestValidate(new DeleteWebhookRequest("webhook-1", "domain-1")).ShouldNotHaveAnyValidationErrors();
        new ListWebhooksRequestValidator().TestValidate(new ListWebhooksRequest("domain-1", null, null, null, null, null, null))
            .ShouldNotHaveAnyValidationErrors();
        new WebhookQueryRequestValidator().TestValidate(new WebhookQueryRequest(null, null, null, null, null, null, null, "domain-1"))
            .ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void Stat_WhenQueryMissing_ReportsRequiredQuery()
    {
        var validator = new WebhookStatRequestValidator();

        var missing = validator.TestValidate(new WebhookStatRequest(null, "domain-1"));
        var given = validator.TestValidate(new WebhookStatRequest(EmptyObject, "domain-1"));

        missing.ShouldHaveValidationErrorFor(r => r.Query).WithErrorCode(ErrorCodes.RequiredParameter);
        given.ShouldNotHaveAnyValidationErrors();
    }
}
